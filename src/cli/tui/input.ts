// What the user types in the TUI: slot lines ("BEGIN DURATION") and slot number selections.
import { parseSelection } from '../../domain/selection.js';
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
 * The answer to "keep which numbers?" → sorted 1-based numbers within 1..count, or why it could
 * not be read. The same grammar as a reply e-mail ("1,3", "1 3", "2-4", "all", "none", …).
 */
export function chooseSlots(text: string, count: number): number[] | string {
  const selection = parseSelection(text, { maxNumber: count });
  switch (selection.kind) {
    case 'all':
      return Array.from({ length: count }, (_, i) => i + 1);
    case 'none':
      return [];
    case 'numbers':
      return selection.numbers;
    case 'unparseable':
      return `Could not read that: ${selection.reason}.`;
  }
}
