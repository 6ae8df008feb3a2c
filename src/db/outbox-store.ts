// Outbox rows for the worker: claim due rows (safe with several workers on one database),
// then settle each as sent, retried later, or failed (with a log entry on the event).
import { randomUUID } from 'node:crypto';
import type { Db } from './client.js';
import type { Serial } from './serial.js';
import { encodeSlots } from './rows.js';
import { markSentStatement } from './postgres-sql.js';
import type { SqliteFastPath } from './sqlite-fast-path.js';
import type { Outcome, OutboxStore } from '../mail/outbound/ports.js';

/** Statuses of a row whose mail went out: only those can bounce. */
const SENT_STATUSES = ['sent', 'delivered'];

function outcomeLog(o: Outcome, at: Date) {
  return {
    eventId: o.eventId!,
    when: at,
    occurrence: o.result === 'sent' ? 'DELIVERED' : 'FAILED',
    effector: null,
    slots: encodeSlots([]),
    data: JSON.stringify({ recipient: o.recipient, kind: o.kind, message_id: o.messageId, ...(o.error && { error: o.error }) }),
  };
}

export function createOutboxStore(db: Db, serial: Serial, now: () => Date, fast?: SqliteFastPath): OutboxStore {
  return {
    // Two steps, both portable: pick candidate ids, then take them with a conditional update
    // carrying a unique claim tag. A row another worker took in between fails the condition.
    claim: (limit, lockMs) => serial(async () => {
      const at = now();
      if (fast) {
        const rows = fast.claimOutbox(randomUUID(), limit, at, new Date(at.getTime() + lockMs));
        return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
      }
      const candidates = await db.outboxMessage.findMany({
        where: {
          OR: [
            { status: 'pending', nextAttemptAt: { lte: at } },
            // A worker that died mid-send: its lock ran out, the row is due again.
            { status: 'sending', lockedUntil: { lt: at } },
          ],
        },
        select: { id: true, status: true, lockedBy: true },
        orderBy: { id: 'asc' },
        take: limit,
      });
      if (!candidates.length) return [];
      const tag = randomUUID();
      const lockedUntil = new Date(at.getTime() + lockMs);
      for (const status of ['pending', 'sending']) {
        const ids = candidates.filter((c) => c.status === status).map((c) => c.id);
        if (!ids.length) continue;
        await db.outboxMessage.updateMany({
          where: status === 'pending'
            ? { id: { in: ids }, status: 'pending' }
            : { id: { in: ids }, status: 'sending', lockedUntil: { lt: at } },
          data: { status: 'sending', lockedBy: tag, lockedUntil },
        });
      }
      return db.outboxMessage.findMany({
        where: { lockedBy: tag, status: 'sending' },
        select: { id: true, eventId: true, kind: true, recipient: true, messageId: true, payload: true, attempts: true, createdAt: true },
        orderBy: { id: 'asc' },
      });
    }),

    release: (ids) => serial(async () => {
      if (!ids.length) return;
      await db.outboxMessage.updateMany({ where: { id: { in: ids }, status: 'sending' }, data: { status: 'pending', lockedBy: null, lockedUntil: null } });
    }),

    // Delivered rows are settled with one statement per batch (the common case at volume);
    // retries and failures, rare, row by row.
    settle: (outcomes, attemptsOf) => serial(async () => {
      const at = now();
      const sent = outcomes.filter((o) => o.result === 'sent');
      const sentLogs = sent.filter((o) => o.eventId !== null).map((o) => outcomeLog(o, at));
      if (sent.length && fast) fast.markSent(sent.map((o) => o.id), sentLogs, at);
      else if (sent.length) {
        await db.$transaction([
          markSentStatement(db, sent.map((o) => o.id), at),
          db.logEntry.createMany({ data: sentLogs }),
        ]);
      }
      const others = outcomes.filter((x) => x.result !== 'sent');
      if (!others.length) return;
      await db.$transaction(async (tx) => {
        for (const o of others) {
          await tx.outboxMessage.update({
            where: { id: o.id },
            data: {
              status: o.result === 'failed' ? 'failed' : 'pending',
              attempts: (attemptsOf.get(o.id) ?? 0) + 1,
              lastError: o.error?.slice(0, 1000) ?? null,
              lockedBy: null,
              lockedUntil: null,
              ...(o.nextAttemptAt && { nextAttemptAt: o.nextAttemptAt }),
              ...(o.result === 'failed' && o.scrubbedPayload && { payload: o.scrubbedPayload }),
            },
          });
        }
        const failed = others.filter((o) => o.eventId !== null && o.result === 'failed');
        if (failed.length) await tx.logEntry.createMany({ data: failed.map((o) => outcomeLog(o, at)) });
      });
    }),

    markBounced: (rowId, detail) => serial(async () => {
      const row = await db.outboxMessage.findUnique({ where: { id: rowId }, select: { status: true, eventId: true, recipient: true, messageId: true } });
      if (!row || !SENT_STATUSES.includes(row.status)) return false;
      return db.$transaction(async (tx) => {
        // Conditional: of two reports for one row, only the first marks and logs.
        const { count } = await tx.outboxMessage.updateMany({
          where: { id: rowId, status: { in: SENT_STATUSES } },
          data: { status: 'bounced', lastError: JSON.stringify(detail).slice(0, 1000) },
        });
        if (count !== 1) return false;
        if (row.eventId !== null) {
          await tx.logEntry.create({
            data: { eventId: row.eventId, when: now(), occurrence: 'BOUNCED', effector: null, slots: encodeSlots([]),
              data: JSON.stringify({ ...detail, recipient: row.recipient, message_id: row.messageId }) },
          });
        }
        return true;
      });
    }),

    pendingCount: () => serial(() => db.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } })),
  };
}
