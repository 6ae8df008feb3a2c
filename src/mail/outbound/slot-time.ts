// Turns a SlotView's normalized strings (SPEC §2 output form) into instants. The domain has
// already validated them, so a malformed value here is a bug and throws.
import type { SlotView } from './payload.js';

export interface SlotSpan {
  /** Epoch milliseconds (sub-millisecond digits are dropped: neither ICS nor mail shows them). */
  startMs: number;
  endMs: number;
  /** Whole seconds of the duration, fractions dropped (for display only). */
  durationSeconds: number;
}

// `HH:MM:SS` or `D HH:MM:SS`, optional fraction (SPEC §2 output form).
const DURATION = /^(?:(\d+) )?(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,6}))?$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Epoch ms of an ISO instant. No offset is read as UTC (never the host's zone). */
export function parseInstant(iso: string): number {
  const ms = Date.parse(HAS_OFFSET.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) throw new TypeError(`not an ISO instant: ${JSON.stringify(iso)}`);
  return ms;
}

/** Duration in milliseconds from `HH:MM:SS[.ffffff]` / `D HH:MM:SS[.ffffff]`. */
export function parseDurationMs(duration: string): number {
  const m = DURATION.exec(duration);
  if (!m) throw new TypeError(`not a slot duration: ${JSON.stringify(duration)}`);
  const [, d = '0', h = '0', min = '0', s = '0', frac = ''] = m;
  const wholeSeconds = ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60 + Number(s);
  return wholeSeconds * 1000 + Math.floor(Number(`0.${frac || '0'}`) * 1000);
}

export function slotSpan(slot: Pick<SlotView, 'begin' | 'duration'>): SlotSpan {
  const startMs = parseInstant(slot.begin);
  const durationMs = parseDurationMs(slot.duration);
  return { startMs, endMs: startMs + durationMs, durationSeconds: Math.floor(durationMs / 1000) };
}
