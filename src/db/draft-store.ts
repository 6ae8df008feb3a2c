// Drafts of proposals mailed to new@ (SPEC §10), on both databases through Prisma: a few
// writes per organizer mail, far from the hot paths the SQLite fast path serves. Every write
// is conditional on the draft's version (no lost update) and carries the inbound outcome of
// the mail that caused it (a mail processed again is refused, as EventStore.mutate does).
import type { Db } from './client.js';
import type { Serial } from './serial.js';
import { outboxRow } from './rows.js';
import { draftColumns, newDraftRow, toDraft } from './draft-rows.js';
import { DomainError } from '../domain/errors.js';
import type { DraftStore } from '../domain/ports.js';
import type { InboundMark } from '../domain/ports.js';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

const alreadyApplied = () => new DomainError('already_applied', 'This message was processed already.');

async function markInbound(tx: Tx, inbound: InboundMark | undefined, eventId: number | null, when: Date): Promise<void> {
  if (!inbound) return;
  const marked = await tx.inboundMessage.updateMany({
    where: { id: inbound.id, status: 'received' },
    data: { status: inbound.status, reason: inbound.reason.slice(0, 1000), eventId, processedAt: when },
  });
  if (marked.count === 0) throw alreadyApplied();
}

export function createDraftStore(db: Db, serial: Serial, mailDomain: string, now: () => Date, onOutbox: () => void): DraftStore {
  return {
    create: (input, cap, mail, inbound) => serial(async () => {
      const when = now();
      const created = await db.$transaction(async (tx) => {
        const count = await tx.draft.count({ where: { sender: input.sender, createdAt: { gte: cap.since } } });
        if (count >= cap.max) return null;
        const draft = toDraft(await tx.draft.create({ data: newDraftRow(input, when) }));
        const rows = mail(draft).map((o) => outboxRow(o, mailDomain, when));
        if (rows.length) await tx.outboxMessage.createMany({ data: rows });
        await markInbound(tx, inbound, null, when);
        return { draft, mailed: rows.length > 0 };
      });
      if (created?.mailed) onOutbox();
      return created?.draft ?? null;
    }),

    findByTokenHash: async (hash) => {
      const row = await serial(() => db.draft.findUnique({ where: { tokenHash: hash } }));
      return row ? toDraft(row) : null;
    },

    get: async (id) => {
      const row = await serial(() => db.draft.findUnique({ where: { id } }));
      return row ? toDraft(row) : null;
    },

    update: (id, expectedVersion, change) => serial(async () => {
      const when = now();
      const row = await db.$transaction(async (tx) => {
        const current = await tx.draft.findUnique({ where: { id } });
        if (!current || current.version !== expectedVersion) return null;
        const steps = [...toDraft(current).steps, change.step];
        const { count } = await tx.draft.updateMany({
          where: { id, version: expectedVersion },
          data: { ...draftColumns(change.set), steps: JSON.stringify(steps), version: { increment: 1 } },
        });
        if (count === 0) return null;
        const rows = (change.outbox ?? []).map((o) => outboxRow(o, mailDomain, when));
        if (rows.length) await tx.outboxMessage.createMany({ data: rows });
        await markInbound(tx, change.inbound, current.eventId, when);
        return tx.draft.findUnique({ where: { id } });
      });
      if (row && change.outbox?.length) onOutbox();
      return row ? toDraft(row) : null;
    }),
  };
}
