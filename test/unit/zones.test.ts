// SPEC §12: zone names and offsets, the Date header's offset, which zone wins, the reply's zone
// line, and slot labels in a zone across DST changes (one builder for mails and page).
import { describe, expect, it } from 'vitest';
import { nextZone, normalizeZone, zoneOfDateHeader, zoneOffsetMs } from '../../src/domain/zones.js';
import { slotLabels } from '../../src/domain/time-labels.js';
import { readZoneLine } from '../../src/mail/inbound/zone-line.js';
import { renderMail } from '../../src/mail/outbound/render.js';
import { slotViews } from '../../src/domain/events/mail-rows.js';
import { parseBegin, parseDuration } from '../../src/domain/slots.js';
import { input } from './outbound-fixture.js';

const span = (iso: string, minutes = 60) => ({ beginMs: Date.parse(iso), durationMs: minutes * 60_000 });

describe('normalizeZone', () => {
  it.each([
    ['Europe/Paris', 'Europe/Paris'],
    ['europe/paris', 'Europe/Paris'],
    ['  America/New_York ', 'America/New_York'],
    ['US/Eastern', 'America/New_York'],
    ['UTC', 'UTC'],
    ['gmt', 'UTC'],
    ['+09:00', '+09:00'],
    ['+0900', '+09:00'],
    ['UTC+9', '+09:00'],
    ['utc -5:30', '-05:30'],
    ['GMT−03:00', '-03:00'],
    ['-00:00', '+00:00'],
  ])('%j → %j', (text, zone) => expect(normalizeZone(text)).toBe(zone));

  it.each(['Mars/Olympus', 'Paris', '+15:00', '+09:60', '', 'Europe/Paris; DROP', 'a'.repeat(80)])('refuses %j', (text) => {
    expect(normalizeZone(text)).toBeNull();
  });
});

describe('zoneOfDateHeader', () => {
  it.each([
    ['Tue, 11 Mar 2031 09:15:00 +0900', '+09:00'],
    ['Tue, 11 Mar 2031 09:15:00 -0530', '-05:30'],
    ['Tue, 11 Mar 2031 09:15:00 +0000', '+00:00'],
    ['Tue, 11 Mar 2031 09:15:00 -0400 (EDT)', '-04:00'],
  ])('%j → %j', (date, zone) => expect(zoneOfDateHeader(date)).toBe(zone));

  it.each([null, '', 'Tue, 11 Mar 2031 09:15:00 -0000', 'Tue, 11 Mar 2031 09:15:00 GMT', 'Tue, 11 Mar 2031 09:15:00 +2500'])('none from %j', (date) => {
    expect(zoneOfDateHeader(date)).toBeNull();
  });
});

describe('nextZone: a chosen zone is never overwritten by a learned offset', () => {
  const chosen = { zone: 'Europe/Paris', source: 'chosen' as const };
  const learned = { zone: '+09:00', source: 'learned' as const };
  it('learned over nothing, learned over learned, chosen over anything', () => {
    expect(nextZone(undefined, learned)).toEqual(learned);
    expect(nextZone({ zone: '+01:00', source: 'learned' }, learned)).toEqual(learned);
    expect(nextZone(learned, chosen)).toEqual(chosen);
    expect(nextZone(chosen, { zone: 'Asia/Tokyo', source: 'chosen' })).toEqual({ zone: 'Asia/Tokyo', source: 'chosen' });
  });
  it('nothing when learned meets chosen or nothing differs', () => {
    expect(nextZone(chosen, learned)).toBeNull();
    expect(nextZone(learned, { ...learned })).toBeNull();
  });
});

describe('readZoneLine', () => {
  it.each([
    ['tz Europe/Paris', 'Europe/Paris', ''],
    ['TZ: Asia/Tokyo', 'Asia/Tokyo', ''],
    ['time zone: Europe/Paris\n1,3', 'Europe/Paris', '1,3'],
    ['1, 2\nTimezone: America/New_York.', 'America/New_York', '1, 2'],
    ['Zeitzone: Europe/Berlin', 'Europe/Berlin', ''],
    ['fuseau horaire : Europe/Paris\ntous', 'Europe/Paris', 'tous'],
    ['tz UTC +09:00', 'UTC +09:00', ''],
    ['time zone: Mars Base One', 'Mars Base One', ''],
  ])('%j → zone %j, rest %j', (reply, zone, rest) => {
    expect(readZoneLine(reply)).toEqual({ zone, rest });
  });

  it.each(['1,3', 'Time zone is fine for me', 'all\nthe tz thing', ''])('no zone line in %j', (reply) => {
    expect(readZoneLine(reply)).toBeNull();
  });
});

describe('slot labels in a zone, across DST', () => {
  it('New York: EST before 9 March 2031, EDT until 2 November, EST after', () => {
    expect(slotLabels(span('2031-03-08T15:00:00Z'), 'America/New_York').text).toBe('Sat 8 Mar 2031, 10:00–11:00 New York (15:00 UTC, 1 h)');
    expect(slotLabels(span('2031-03-10T15:00:00Z'), 'America/New_York').text).toBe('Mon 10 Mar 2031, 11:00–12:00 New York (15:00 UTC, 1 h)');
    expect(slotLabels(span('2031-11-01T15:00:00Z'), 'America/New_York').text).toBe('Sat 1 Nov 2031, 11:00–12:00 New York (15:00 UTC, 1 h)');
    expect(slotLabels(span('2031-11-03T15:00:00Z'), 'America/New_York').text).toBe('Mon 3 Nov 2031, 10:00–11:00 New York (15:00 UTC, 1 h)');
  });

  it('a slot across the change: each end by its own offset', () => {
    // 01:30 EST + 1 h = 03:30 EDT (02:00 → 03:00 on 9 March 2031)
    expect(slotLabels(span('2031-03-09T06:30:00Z'), 'America/New_York').text).toBe('Sun 9 Mar 2031, 01:30–03:30 New York (06:30 UTC, 1 h)');
    // 01:30 EDT + 1 h = 01:30 EST (02:00 → 01:00 on 2 November 2031)
    expect(slotLabels(span('2031-11-02T05:30:00Z'), 'America/New_York').text).toBe('Sun 2 Nov 2031, 01:30–01:30 New York (05:30 UTC, 1 h)');
    expect(zoneOffsetMs('America/New_York', Date.parse('2031-03-09T06:59:59Z'))).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs('America/New_York', Date.parse('2031-03-09T07:00:00Z'))).toBe(-4 * 3_600_000);
  });

  it('Paris (last Sunday of March), a fixed offset, another UTC day, and UTC itself', () => {
    expect(slotLabels(span('2031-03-29T13:00:00Z'), 'Europe/Paris').text).toBe('Sat 29 Mar 2031, 14:00–15:00 Paris (13:00 UTC, 1 h)');
    expect(slotLabels(span('2031-03-31T13:00:00Z'), 'Europe/Paris').text).toBe('Mon 31 Mar 2031, 15:00–16:00 Paris (13:00 UTC, 1 h)');
    expect(slotLabels(span('2031-03-11T05:00:00Z'), '+09:00').text).toBe('Tue 11 Mar 2031, 14:00–15:00 UTC+09:00 (05:00 UTC, 1 h)');
    expect(slotLabels(span('2031-03-11T23:30:00Z', 30), 'Asia/Tokyo').text).toBe('Wed 12 Mar 2031, 08:30–09:00 Tokyo (Tue 11 Mar 2031, 23:30 UTC, 30 min)');
    expect(slotLabels(span('2031-03-11T14:00:00Z'), 'UTC').text).toBe('Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)');
    expect(slotLabels(span('2031-03-11T14:00:00Z'), null).text).toBe('Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)');
  });

  it('the mail prints the recipient\'s zone from its payload, and says so above the list', () => {
    const slots = slotViews([{ beginUs: parseBegin('2031-03-08T15:00:00Z')!, durationUs: parseDuration('01:00')! }]);
    const { text, html } = renderMail(input('proposal', { slots, zone: 'America/New_York' }));
    expect(text).toContain('Candidate slots (times in America/New_York, UTC beside):');
    expect(text).toContain('\n  1. Sat 8 Mar 2031, 10:00–11:00 New York (15:00 UTC, 1 h)\n');
    expect(html).toContain('Sat 8 Mar 2031, 10:00–11:00 New York (15:00 UTC, 1 h)');
    expect(renderMail(input('proposal', { slots })).text).toContain('Candidate slots (times in UTC):');
  });
});
