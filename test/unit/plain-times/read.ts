// Shared reader for the plain-times tests: slots as "begin duration" in SPEC §2 output form.
import { readPlainTimes, type PlainTimes } from '../../../src/domain/plain-times.js';
import { formatBegin, formatDuration } from '../../../src/domain/slots.js';

export const NOW = new Date('2026-01-01T00:00:00Z');
/** Sunday 9 March 2031, 13:00 in Berlin (CET, +01:00). */
export const SUNDAY = new Date('2031-03-09T12:00:00Z');

export function read(text: string, zone = 'Europe/Berlin', reference = SUNDAY, now = NOW, defaultMinutes = 60): PlainTimes {
  return readPlainTimes(text, { reference, zone, defaultMinutes, now });
}

/** The slots of a text, "2031-03-11T13:00:00Z 01:00:00" each, sorted. */
export function slots(text: string, zone = 'Europe/Berlin', reference = SUNDAY, now = NOW): string[] {
  return read(text, zone, reference, now).slots.map((s) => `${formatBegin(s.beginUs)} ${formatDuration(s.durationUs)}`);
}
