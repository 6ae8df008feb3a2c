// Outbox row → nodemailer message: opens the sealed token, builds links and token addresses,
// renders. Deterministic per row (Date = row creation, fixed Message-ID), so a retry after a
// crash sends the same message.
import type { SendMailOptions as Options } from 'nodemailer';
import { readMailPayload, type StoredMailPayload } from '../../domain/stored-payload.js';
import type { OutboxRow } from './ports.js';
import type { RenderInput } from './payload.js';
import { buildMessage } from './build-message.js';

export interface ComposeConfig {
  publicUrl: string;
  mailDomain: string;
  mailFrom: string;
  mailFromName: string;
  openSealed: (sealed: string) => string;
}

export function threadRoot(eventId: number, mailDomain: string): string {
  return `<calndro.event.${eventId}@${mailDomain}>`;
}

/** A draft has no event yet: its summaries thread on their own root. */
export function draftThreadRoot(draftId: number, mailDomain: string): string {
  return `<calndro.draft.${draftId}@${mailDomain}>`;
}

export function compose(row: OutboxRow, cfg: ComposeConfig): { message: Options; scrubbed: string } {
  const payload = readMailPayload(JSON.parse(row.payload) as StoredMailPayload);
  const { sealedToken, sealedOrganizerToken, ...rest } = payload;
  const token = sealedToken ? cfg.openSealed(sealedToken) : undefined;
  // Never the full token here: calendars store the ORGANIZER. Rows queued before organizer
  // tokens existed name the bot address (their RSVPs are not recorded; nothing leaks).
  const organizer = sealedOrganizerToken ? `meet+${cfg.openSealed(sealedOrganizerToken)}@${cfg.mailDomain}` : cfg.mailFrom;
  const input: RenderInput = {
    ...rest,
    botAddress: cfg.mailFrom,
    botName: cfg.mailFromName,
    mailDomain: cfg.mailDomain,
    now: row.createdAt.toISOString(),
    ...(token && {
      // A draft's token answers by mail only: there is no event page yet.
      ...(!payload.draft && { link: `${cfg.publicUrl}/${payload.eventId}/?et=${token}` }),
      replyAddress: `reply+${token}@${cfg.mailDomain}`,
      organizerAddress: organizer,
    }),
  };
  const message = buildMessage(input, {
    messageId: row.messageId,
    references: [payload.draft ? draftThreadRoot(payload.draft.id, cfg.mailDomain) : threadRoot(payload.eventId, cfg.mailDomain)],
  });
  return { message, scrubbed: JSON.stringify(rest) };
}
