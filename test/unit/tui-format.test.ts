// The TUI prints what the server sends: titles, addresses and log data written by others (the
// log also carries text that came by e-mail). Control characters must never reach the terminal.
import { describe, expect, it } from 'vitest';
import { eventDetail, eventList, logText, printable, printableLines } from '../../src/cli/tui/format.js';
import type { EventJson, LogJson } from '../../src/cli/tui/api.js';

const ESC_CLEAR = '\u001b[2J\u001b[31m';
const CSI_C1 = '\u009b31m';
// Every C0 control, DEL and every C1 control.
const CONTROLS = [...Array.from({ length: 32 }, (_, i) => i), ...Array.from({ length: 33 }, (_, i) => 0x7f + i)].map((c) => String.fromCharCode(c));
const noControls = (text: string) => ![...text].some((ch) => ch !== '\n' && CONTROLS.includes(ch));

const event: EventJson = {
  id: 7, url: 'http://x/7/', log_url: 'http://x/7/log/', notify_url: 'http://x/7/notify/',
  title: `Lunch ${ESC_CLEAR}pwned\nFake line`, parties: [`a${CSI_C1}@example.com`], status: 'open', owner: `o\u0007@example.com`,
  slots: [{ begin: '2031-03-11T14:00:00Z', duration: '01:00:00' }], answers: { [`a${CSI_C1}@example.com`]: [] },
  created: '2031-01-01T00:00:00Z', updated: '2031-01-01T00:00:00Z',
} as EventJson;

describe('TUI output', () => {
  it('printable replaces every C0, DEL and C1 control with U+FFFD; printableLines keeps line breaks', () => {
    expect(printable(CONTROLS.join(''))).toBe('\ufffd'.repeat(CONTROLS.length));
    expect(printable('plain text, äöü — 日本')).toBe('plain text, äöü — 日本');
    expect(printableLines(`a\n${ESC_CLEAR}b`)).toBe('a\n\ufffd[2J\ufffd[31mb');
  });

  it('event list and detail print titles, parties and owner without control characters', () => {
    for (const out of [eventList([event]), eventDetail(event)]) {
      expect(noControls(out)).toBe(true);
      expect(out).toContain('Lunch \ufffd[2J\ufffd[31mpwned\ufffdFake line');
    }
    expect(eventDetail(event).split('\n')[0]).toBe('Event 7: Lunch \ufffd[2J\ufffd[31mpwned\ufffdFake line  [open]');
  });

  it('the log prints effector and data (e.g. a Message-ID or an RSVP comment from mail) without control characters', () => {
    const log: LogJson = {
      event: 'http://x/7/', parties: event.parties,
      entries: [{ id: 1, when: '2031-01-01T00:00:00Z', occurrence: 'REPLY', effector: `e${ESC_CLEAR}@example.com`, slots: [],
        data: { via: 'email', message_id: `<x${CSI_C1}@mail>`, comment: ['ok', `\u001b]0;owned\u0007`] } }],
    } as LogJson;
    const out = logText(7, log);
    expect(noControls(out)).toBe(true);
    expect(out).toContain('message_id=<x\ufffd31m@mail>');
  });
});
