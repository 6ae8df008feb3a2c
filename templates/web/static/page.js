// calndro web page: rewrite the UTC times the server rendered into the reader's time zone, and
// prefill the time zone select from the browser. When the server already shows the slots in the
// party's own zone (#zone-note[data-zone]), only the log stamps follow that zone. Without
// JavaScript the page stays correct. Loaded as a file because the page's CSP allows no inline
// script. Same label shape as the server (and the mails): "Tue 11 Mar 2031, 23:00".
(function () {
  'use strict';

  function zoneFormatter(zone, style) {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
      hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: style,
    });
  }

  function browserZone() {
    try {
      return new Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch (e) {
      return null;
    }
  }

  /** Rewrites the stamps (and, unless the server chose the zone, the slot times) into `zone`. */
  function localise(zone, slotsToo) {
    var fmt;
    try {
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

    if (slotsToo) Array.prototype.forEach.call(document.querySelectorAll('.when[data-begin][data-end]'), function (el) {
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
    if (!slotsToo) return;
    var note = document.getElementById('zone-note');
    if (note) note.textContent = 'Times are shown in your time zone, ' + zone + '.';
    document.documentElement.setAttribute('data-local-times', zone);
  }

  /** Until the party chose a zone, the select offers the browser's (one click to keep it). */
  function prefillZone(zone) {
    var select = document.getElementById('zone');
    if (!select || !zone || select.getAttribute('data-source') === 'chosen') return;
    var match = null;
    Array.prototype.forEach.call(select.options, function (o) { if (o.value === zone) match = o; });
    if (!match) {
      match = document.createElement('option');
      match.value = zone;
      match.textContent = zone.replace(/_/g, ' ') + ' (this browser)';
      select.insertBefore(match, select.firstChild);
    }
    select.value = zone;
    select.setAttribute('data-prefilled', zone);
  }

  function focusNotice() {
    var notice = document.getElementById('notice');
    if (notice && notice.firstChild) notice.focus();
  }

  function start() {
    var note = document.getElementById('zone-note');
    var partyZone = note && note.getAttribute('data-zone');
    var own = browserZone();
    // A fixed offset ("+09:00") is not a zone every browser's Intl knows: stamps then stay in UTC.
    if (partyZone) { if (!/^[+-]/.test(partyZone)) localise(partyZone, false); } else if (own) localise(own, true);
    prefillZone(own);
    focusNotice();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
