import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderMail } from '../../src/mail/outbound/render.js';
import type { MailKind } from '../../src/mail/outbound/payload.js';
import { REPLY_MARKER_HTML_ID, REPLY_MARKER_TEXT } from '../../src/mail/reply-marker.js';
import { input } from './outbound-fixture.js';

const KINDS: MailKind[] = ['proposal', 'confirmation', 'cancellation', 'ack', 'help', 'draft-summary', 'organizer-help', 'decline-counter'];
const LABELS = [
  'Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)',
  'Tue 11 Mar 2031, 23:30 – Wed 12 Mar 2031, 00:30 UTC (1 h)',
  'Wed 12 Mar 2031, 09:00 – Thu 13 Mar 2031, 11:00 UTC (1 d 2 h)',
];
const LINK = 'https://calndro.example.test/7/?et=0123abcd&lang=en';
const EXPIRY = 'Tue 18 Mar 2031, 14:00 UTC';

describe('renderMail: every kind', () => {
  it.each(KINDS)('%s renders text and HTML, both with the reply marker first', (kind) => {
    const { subject, text, html } = renderMail(input(kind));
    expect(subject).not.toBe('');
    expect(text.split('\n')[0]).toBe(REPLY_MARKER_TEXT);
    const marker = html.indexOf(`id="${REPLY_MARKER_HTML_ID}"`);
    expect(marker).toBeGreaterThan(html.indexOf('<body'));
    // the marker precedes all our content: everything from it down is history when quoted
    expect(marker).toBeLessThan(html.indexOf('role="article"'));
    expect(html).toContain(`>${REPLY_MARKER_TEXT}</div>`);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="en">');
  });
});

describe('renderMail: subjects', () => {
  it('follows the fixed form per kind', () => {
    expect(renderMail(input('proposal')).subject).toBe('[calndro] Quarterly review: pick your slots');
    expect(renderMail(input('confirmation')).subject).toBe('Confirmed: Quarterly review');
    expect(renderMail(input('cancellation')).subject).toBe('Cancelled: Quarterly review');
    expect(renderMail(input('ack')).subject).toBe('Re: Quarterly review');
    expect(renderMail(input('help', { details: { subject: 'Lunch?' } })).subject).toBe('Re: Lunch?');
  });

  it('does not stack "Re:" and keeps subjects on one line', () => {
    expect(renderMail(input('ack', { details: { subject: 'RE: Lunch?' } })).subject).toBe('RE: Lunch?');
    expect(renderMail(input('proposal', { title: 'a\r\nBcc: x@evil.test' })).subject).toBe(
      '[calndro] a Bcc: x@evil.test: pick your slots',
    );
  });
});

describe('renderMail: proposal', () => {
  const { text, html } = renderMail(input('proposal'));

  it('lists every slot with its number and UTC time in both parts', () => {
    LABELS.forEach((label, i) => {
      expect(text).toContain(`\n  ${i + 1}. ${label}\n`);
      expect(html).toContain(`<strong>${i + 1}.</strong> ${label}</li>`);
    });
  });

  it('uses the numbers given, not positions', () => {
    const slots = input('proposal').slots.map((s, i) => ({ ...s, number: [4, 9, 12][i]! }));
    const out = renderMail(input('proposal', { slots }));
    expect(out.text).toContain(`  4. ${LABELS[0]}`);
    expect(out.text).toContain(`  9. ${LABELS[1]}`);
    expect(out.text).toContain(`  12. ${LABELS[2]}`);
    expect(out.text).not.toMatch(/^ {2}1\. /m);
    expect(out.html).toContain(`<strong>12.</strong> ${LABELS[2]}`);
    expect(out.text).toContain('e.g. 4,12,');
  });

  it('has the link with its expiry, how to answer, and the parties', () => {
    expect(text).toContain(LINK);
    expect(text).toContain(`until ${EXPIRY}`);
    expect(html).toContain(`href="${LINK.replace('&', '&amp;')}"`);
    expect(html).toContain(`until ${EXPIRY}`);
    const howTo = 'reply with the numbers of the slots you can make, e.g. 1,3, or all / none';
    expect(text).toContain(howTo);
    expect(html).toContain(howTo);
    expect(text).toContain('alice@example.test, bob@example.test');
    expect(html).toContain('alice@example.test, bob@example.test');
    expect(text).toContain('Alice is looking for a time for "Quarterly review"');
  });

  it('renders without link or sender', () => {
    const out = renderMail(input('proposal', { link: undefined, tokenExpiresAt: undefined, senderName: null }));
    expect(out.text).not.toContain('https://');
    expect(out.html).not.toContain('<a ');
    expect(out.text).toContain('You are invited to find a time for "Quarterly review"');
  });

  it('refuses a non-http link', () => {
    expect(() => renderMail(input('proposal', { link: 'javascript:alert(1)' }))).toThrow(/http/);
  });
});

describe('renderMail: user content', () => {
  const title = '<script>alert("x")</script> & Q&A \'quoted\'';
  const { text, html } = renderMail(input('proposal', { title, senderName: '<b>Mallory</b>' }));

  it('is escaped in HTML', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>Mallory');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Q&amp;A &#x27;quoted&#x27;');
    expect(html).toContain('&lt;b&gt;Mallory&lt;/b&gt;');
  });

  it('is verbatim (not entity-escaped) in text', () => {
    expect(text).toContain(`"${title}"`);
    expect(text).toContain('<b>Mallory</b> is looking');
    expect(text).not.toMatch(/&(lt|gt|amp|quot|#x27);/);
  });
});

describe('renderMail: confirmation and cancellation', () => {
  it('confirmation names the chosen slot and the attached invite', () => {
    const { text, html } = renderMail(input('confirmation'));
    expect(text).toContain(`is confirmed:\n\n  ${LABELS[1]}\n`);
    expect(html).toContain(`<strong>${LABELS[1]}</strong>`);
    expect(text).toContain('invite.ics');
    expect(() => renderMail(input('confirmation', { confirmedSlot: undefined }))).toThrow(/confirmedSlot/);
  });

  it('cancellation of a confirmed event names the slot and the attached cancellation', () => {
    const { text, html } = renderMail(input('cancellation'));
    expect(text).toContain('"Quarterly review" has been cancelled by Alice.');
    expect(text).toContain(`It was planned for ${LABELS[1]}.`);
    expect(html).toContain(`It was planned for ${LABELS[1]}.`);
    expect(text).toContain('invite.ics');
  });

  it('cancellation of an open event mentions no invite', () => {
    const { text, html } = renderMail(input('cancellation', { confirmedSlot: undefined }));
    expect(text).toContain('has been cancelled');
    expect(text).not.toContain('invite.ics');
    expect(html).not.toContain('invite.ics');
  });
});

describe('renderMail: ack', () => {
  it('says what was kept, what was unknown, and lists what remains', () => {
    const { text, html } = renderMail(input('ack', { details: { kept: [1, 3], unknownNumbers: [7, 9] } }));
    for (const part of [text, html]) {
      expect(part).toContain('You kept: 1, 3.');
      expect(part).toContain('ignored: 7, 9.');
      expect(part).toContain(LABELS[2]);
    }
    expect(text).toContain(`  3. ${LABELS[2]}`);
  });

  it('says when nothing was kept and omits the unknown line when there is none', () => {
    const { text } = renderMail(input('ack', { details: { kept: [] } }));
    expect(text).toContain('You kept none of the slots.');
    expect(text).not.toContain('ignored');
  });

  it('says when no slot is left', () => {
    const { text, html } = renderMail(input('ack', { slots: [], details: { kept: [] } }));
    expect(text).toContain('(no slots are left in the list)');
    expect(html).toContain('No slots are left in the list.');
  });
});

describe('renderMail: help', () => {
  it('explains the problem, the current list and the grammar', () => {
    const problem = 'Could not read "maybe tuesday" & more';
    const { text, html } = renderMail(input('help', { details: { problem } }));
    expect(text).toContain(`Problem: ${problem}`);
    expect(html).toContain('Problem: Could not read &quot;maybe tuesday&quot; &amp; more');
    for (const part of [text, html]) {
      LABELS.forEach((label) => expect(part).toContain(label));
      expect(part).toContain('ranges: 1-3');
      expect(part).toMatch(/all: every slot/);
      expect(part).toMatch(/none: no slot/);
    }
  });
});

describe('renderMail: template location', () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  it('finds templates relative to the module, not the working directory', async () => {
    process.chdir('/');
    vi.resetModules(); // drop the compiled-template cache so templates are read again
    const fresh = await import('../../src/mail/outbound/render.js');
    expect(fresh.renderMail(input('help')).text.split('\n')[0]).toBe(REPLY_MARKER_TEXT);
  });
});

describe('renderMail: the deadline (SPEC §11)', () => {
  it.each(['proposal', 'ack', 'help'] as MailKind[])('%s asks for an answer by then, in text and HTML', (kind) => {
    const { text, html } = renderMail(input(kind, { respondBy: '2031-03-10T18:00:00.000Z' }));
    expect(text).toContain('Please answer by Mon 10 Mar 2031, 18:00 UTC.');
    expect(html).toContain('Please answer by Mon 10 Mar 2031, 18:00 UTC.');
  });

  it.each(['confirmation', 'cancellation'] as MailKind[])('%s says when answers were due', (kind) => {
    const { text, html } = renderMail(input(kind, { respondBy: '2031-03-10T18:00:00.000Z' }));
    expect(text).toContain('Answers were requested by Mon 10 Mar 2031, 18:00 UTC.');
    expect(html).toContain('Answers were requested by Mon 10 Mar 2031, 18:00 UTC.');
  });

  it.each(KINDS)('%s without a deadline says nothing about one', (kind) => {
    const { text, html } = renderMail(input(kind));
    expect(text).not.toMatch(/answer by|requested by/);
    expect(html).not.toMatch(/answer by|requested by/);
  });
});

describe('renderMail: organizing by e-mail (SPEC §10)', () => {
  it('the draft summary lists every time in the sender\'s zone and in UTC, the unread lines and how to answer', () => {
    const { subject, text, html } = renderMail(input('draft-summary'));
    expect(subject).toBe('[calndro] Draft: Quarterly review');
    expect(text).toContain('Times (in Europe/Paris, and in UTC):');
    expect(text).toContain('  1. Tue 11 Mar 2031, 15:00–16:00 Europe/Paris (1 h)\n     = Tue 11 Mar 2031, 14:00–15:00 UTC (1 h)');
    // Past midnight in Paris, not in UTC.
    expect(text).toContain('2. Wed 12 Mar 2031, 00:30–01:30 Europe/Paris (1 h)');
    expect(text).toContain('- "Fri 31 Feb": not read as a time');
    expect(text).toMatch(/send +\(or yes, ok\)/);
    expect(text).toContain('The draft waits until Sat 8 Mar 2031, 10:00 UTC.');
    expect(text).not.toContain('personal page');
    expect(html).toContain('15:00–16:00 Europe/Paris');
    expect(html).toContain('“Fri 31 Feb”: not read as a time');
  });

  it('a draft with a deadline shows it in the sender\'s zone and in UTC; a send after it says nothing was sent', () => {
    const base = input('draft-summary');
    const { text, html } = renderMail({ ...base, draft: { ...base.draft!, respondBy: '2031-03-10T17:00:00Z' } });
    expect(text).toContain('Answers requested by Mon 10 Mar 2031, 18:00 Europe/Paris\n     = Mon 10 Mar 2031, 17:00 UTC');
    expect(html).toContain('18:00 Europe/Paris');
    expect(renderMail(base).text).not.toContain('Answers requested by');
    const past = renderMail({ ...base, draft: { ...base.draft!, notice: 'deadline_past', respondBy: '2031-03-10T17:00:00Z' } }).text;
    expect(past).toContain('Nothing was sent: the deadline for answers has passed.');
    expect(past).toContain('How to answer');
  });

  it('an expired or cancelled draft says so, without the list or the commands', () => {
    for (const [notice, words] of [['expired', 'has expired'], ['cancelled', 'is cancelled']] as const) {
      const base = input('draft-summary');
      const { text } = renderMail({ ...base, draft: { ...base.draft!, notice } });
      expect(text).toContain(words);
      expect(text).not.toContain('How to answer');
      expect(text).not.toContain('15:00');
    }
  });

  it('the organizer help lists what was done and the commands', () => {
    const { subject, text, html } = renderMail(input('organizer-help'));
    expect(subject).toBe('Re: Quarterly review');
    expect(text).toContain('Your proposal went to bob@example.test.');
    expect(text).toContain('  remove N\n      takes slot N off the list');
    expect(html).toContain('<strong>remove N</strong>: takes slot N off the list');
  });
});

describe('renderMail: decline-counter', () => {
  const FRIDAY = { beginMs: Date.parse('2031-03-14T15:00:00Z'), durationMs: 3_600_000 };
  const mail = renderMail(input('decline-counter', { details: { suggested: [FRIDAY], proposer: 'bob@example.test', suggestedVia: 'calendar', counter: { uid: 'u@x', sequence: 1 } } }));

  it('says the organizer kept the original times, names the declined time and the slots still listed', () => {
    expect(mail.subject).toBe('Declined: your suggested time for Quarterly review');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('kept the original times');
      expect(part).toContain('Fri 14 Mar 2031, 15:00–16:00 UTC (1 h)');
      for (const label of LABELS) expect(part).toContain(label);
    }
  });
});

describe('renderMail: the organizer\'s summary shows each party\'s zone (SPEC §12)', () => {
  it('parties with a zone carry it beside their address; the times are in the organizer\'s zone', () => {
    const { text, html } = renderMail(input('summary', {
      zone: 'Europe/Paris',
      details: {
        reason: 'all_answered', silent: ['carol@example.test'],
        keptBy: [{ number: 1, parties: ['bob@example.test', 'dave@example.test'] }],
        partyZones: { 'bob@example.test': '+09:00', 'carol@example.test': 'America/New_York' },
      },
    }));
    expect(text).toContain('bob@example.test (UTC+09:00), dave@example.test');
    expect(text).toContain('No answer from: carol@example.test (America/New_York)');
    expect(text).not.toContain('(times in UTC)');
    expect(html).toContain('bob@example.test (UTC+09:00)');
  });
});
