// Human time labels shared by the mail and the web page: UTC, English, built by hand instead
// of Intl so the output does not depend on the host's ICU data, zone or locale.
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** "Tue 11 Mar 2031" */
export function dayLabel(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "14:00", or "14:00:30" when the seconds are not zero (or `seconds` asks for them). */
export function clockLabel(d: Date, seconds = false): string {
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return seconds || d.getUTCSeconds() ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
}

/** "1 h", "30 min", "1 h 30 min", "1 d 2 h", "45 s". */
export function lengthLabel(totalSeconds: number): string {
  const d = Math.floor(totalSeconds / 86_400);
  const h = Math.floor((totalSeconds % 86_400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const parts = [d && `${d} d`, h && `${h} h`, m && `${m} min`, s && `${s} s`].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 s';
}
