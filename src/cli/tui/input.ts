// What the user types in the TUI: slot lines ("BEGIN DURATION") and slot number selections.
import type { SlotJson } from './api.js';

/**
 * "2031-03-11T14:00+01:00 01:30" → {begin, duration}. The duration is the rest of the line,
 * so "1 02:00:00" (a day and two hours) works. The server validates both parts.
 */
export function parseSlotLine(line: string): SlotJson | null {
  const m = /^(\S+)\s+(\S.*)$/.exec(line.trim());
  return m ? { begin: m[1]!, duration: m[2]!.trim() } : null;
}

/** Party addresses separated by commas and/or spaces. */
export function parseParties(line: string): string[] {
  return line.split(/[\s,;]+/).filter(Boolean);
}

/**
 * "1,3", "1 3", "2-4", "all" or "none" → sorted 1-based numbers within 1..count.
 * Returns an error message instead when something is not a number of the list.
 */
export function parseSelection(text: string, count: number): number[] | string {
  const t = text.trim().toLowerCase();
  if (t === 'all') return Array.from({ length: count }, (_, i) => i + 1);
  if (t === 'none') return [];
  const chosen = new Set<number>();
  for (const part of t.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return `"${part}" is not a slot number.`;
    const from = Number(m[1]), to = Number(m[2] ?? m[1]);
    if (from < 1 || to > count || from > to) return `${part}: slots are numbered 1 to ${count}.`;
    for (let n = from; n <= to; n++) chosen.add(n);
  }
  return [...chosen].sort((a, b) => a - b);
}
