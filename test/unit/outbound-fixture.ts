// Shared RenderInput for the outbound unit tests (filled by hand: no domain code needed).
import type { MailKind, RenderInput, SlotView } from '../../src/mail/outbound/payload.js';

const HOUR = 3_600_000;

export const SLOTS: SlotView[] = [
  { number: 1, beginMs: Date.parse('2031-03-11T14:00:00Z'), durationMs: HOUR, key: '1931004000000000/3600000000' },
  // crosses midnight UTC
  { number: 2, beginMs: Date.parse('2031-03-11T23:30:00Z'), durationMs: HOUR, key: '1931038200000000/3600000000' },
  // longer than a day
  { number: 3, beginMs: Date.parse('2031-03-12T09:00:00Z'), durationMs: 26 * HOUR, key: '1931072400000000/93600000000' },
];

export function input(kind: MailKind, over: Partial<RenderInput> = {}): RenderInput {
  return {
    kind,
    eventId: 7,
    title: 'Quarterly review',
    recipient: 'bob@example.test',
    senderName: 'Alice',
    parties: ['alice@example.test', 'bob@example.test'],
    slots: SLOTS,
    link: 'https://calndro.example.test/7/?et=0123abcd&lang=en',
    tokenExpiresAt: '2031-03-18T14:00:00Z',
    replyAddress: 'reply+0123abcd@example.test',
    organizerAddress: 'meet+0123abcd@example.test',
    botAddress: 'calndro@example.test',
    botName: 'calndro',
    mailDomain: 'example.test',
    now: '2031-03-01T10:00:00Z',
    ...(kind === 'confirmation' || kind === 'cancellation' ? { confirmedSlot: SLOTS[1], sequence: 1 } : {}),
    ...(kind === 'draft-summary' ? {
      eventId: 0, link: undefined,
      draft: { id: 3, notice: 'summary' as const, zone: 'Europe/Paris', unreadable: [{ line: 'Fri 31 Feb', why: 'not read as a time' }], expiresAt: '2031-03-08T10:00:00Z' },
    } : {}),
    ...(kind === 'organizer-help' ? { details: { done: 'Your proposal went to bob@example.test.', commands: [{ usage: 'remove N', does: 'takes slot N off the list' }] } } : {}),
    ...over,
  };
}

/** An outbox row carrying input('proposal') for bob, as the domain writes it (token sealed). */
export function outboxRow(id: number, messageId: string, sealedToken: string) {
  return {
    id, eventId: 7, kind: 'proposal', recipient: 'bob@example.test', messageId, attempts: 0, createdAt: new Date('2031-03-01T10:00:00Z'),
    payload: JSON.stringify({ ...input('proposal'), sealedToken, link: undefined, replyAddress: undefined }),
  };
}
