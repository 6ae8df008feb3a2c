// calndro web page: rewrite the UTC times the server rendered into the reader's time zone.
// Without JavaScript the page stays correct, in UTC. Loaded as a file because the page's CSP
// allows no inline script. Same label shape as the server (and the mails): "Tue 11 Mar 2031, 23:00".
(function () {
  'use strict';

  function zoneFormatter(zone, style) {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
      hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: style,
    });
  }

  function localise() {
    var zone;
    var fmt;
    try {
      zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
      try { fmt = zoneFormatter(zone, 'shortOffset'); } catch (e) { fmt = zoneFormatter(zone, 'short'); }
    } catch (e) {
      return; // no Intl time zone support: keep UTC
    }
    if (!zone) return;

    function parts(iso) {
      var out = {};
      fmt.formatToParts(new Date(iso)).forEach(function (p) { out[p.type] = p.value; });
      var clock = out.hour + ':' + out.minute;
      return {
        day: out.weekday + ' ' + out.day + ' ' + out.month + ' ' + out.year,
        clock: out.second === '00' ? clock : clock + ':' + out.second,
        clockSeconds: clock + ':' + out.second,
        zone: out.timeZoneName || zone,
      };
    }

    Array.prototype.forEach.call(document.querySelectorAll('.when[data-begin][data-end]'), function (el) {
      var times = el.querySelectorAll('time');
      var zoneEl = el.querySelector('.zone');
      if (times.length !== 2 || !zoneEl) return;
      var b = parts(el.getAttribute('data-begin'));
      var e = parts(el.getAttribute('data-end'));
      var sameDay = b.day === e.day;
      times[0].textContent = b.day + ', ' + b.clock;
      times[1].textContent = sameDay ? e.clock : e.day + ', ' + e.clock;
      var between = times[0].nextSibling;
      if (between && between.nodeType === 3) between.nodeValue = sameDay ? '\u2013' : ' \u2013 ';
      zoneEl.textContent = b.zone;
    });
    Array.prototype.forEach.call(document.querySelectorAll('time.stamp[datetime]'), function (el) {
      var p = parts(el.getAttribute('datetime'));
      el.textContent = p.day + ', ' + p.clockSeconds + ' ' + p.zone;
    });
    var note = document.getElementById('zone-note');
    if (note) note.textContent = 'Times are shown in your time zone, ' + zone + '.';
    document.documentElement.setAttribute('data-local-times', zone);
  }

  function focusNotice() {
    var notice = document.getElementById('notice');
    if (notice && notice.firstChild) notice.focus();
  }

  function start() {
    localise();
    focusNotice();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
