import type { Db } from './client.js';
import type { Serial } from './serial.js';
import type { MailHistory } from '../domain/ports.js';
import type { MailPayload } from '../domain/notification.js';
import type { SqliteFastPath } from './sqlite-fast-path.js';

export function createMailHistory(db: Db, serial: Serial, fast?: SqliteFastPath): MailHistory {
  if (fast) {
    return {
      countSince: async (recipient, kind, since) => fast.countMailSince(recipient, kind, since),
      mailForToken: async (tokenHash) => {
        const row = fast.mailForToken(tokenHash);
        return row?.eventId == null ? null : { eventId: row.eventId, payload: JSON.parse(row.payload) as MailPayload };
      },
      eventsOfMessageIds: async (ids) =>
        fast.mailsByMessageIds(ids.slice(0, 50)).filter((r) => r.eventId !== null).map((r) => ({ eventId: r.eventId!, recipient: r.recipient, messageId: r.messageId })),
    };
  }
  return {
    countSince: (recipient, kind, since) => serial(() =>
      db.outboxMessage.count({ where: { recipient, kind, createdAt: { gte: since } } })),
    mailForToken: (tokenHash) => serial(async () => {
      const token = await db.eventToken.findUnique({ where: { hash: tokenHash }, select: { messageId: true } });
      const row = token?.messageId ? await db.outboxMessage.findUnique({ where: { messageId: token.messageId }, select: { eventId: true, payload: true } }) : null;
      return row?.eventId == null ? null : { eventId: row.eventId, payload: JSON.parse(row.payload) as MailPayload };
    }),
    eventsOfMessageIds: (messageIds) => serial(async () => {
      if (!messageIds.length) return [];
      const rows = await db.outboxMessage.findMany({
        where: { messageId: { in: messageIds.slice(0, 50) } },
        select: { eventId: true, recipient: true, messageId: true },
      });
      return rows.filter((r) => r.eventId !== null).map((r) => ({ eventId: r.eventId!, recipient: r.recipient, messageId: r.messageId }));
    }),
  };
}
