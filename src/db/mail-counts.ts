// MailCountQuery (domain/ports.ts) on Prisma: run inside the event's locked transaction by
// EventStore.mutate. The SQLite fast path has the same queries.
import type { Db } from './client.js';
import type { MailCountQuery } from '../domain/ports.js';

/** The statuses of an outbox row that is still to be sent. */
export const UNSENT = ['pending', 'sending'];

type Client = Pick<Db, 'outboxMessage' | 'logEntry'>;

function countMail(client: Client, eventId: number, q: MailCountQuery): Promise<number> {
  switch (q.of) {
    case 'pendingOutbox':
      return client.outboxMessage.count({ where: { eventId, status: { in: UNSENT } } });
    case 'notices':
      // A round is one write: its NOTIFY entries (one per recipient) share their `when`.
      return client.logEntry.findMany({
        where: { eventId, occurrence: 'NOTIFY', effector: q.effector, when: { gte: q.since } },
        distinct: ['when'], select: { when: true }, take: 10_000,
      }).then((rounds) => rounds.length);
    case 'mailsTo':
      return client.outboxMessage.count({
        where: { recipient: q.recipient, kind: q.kind, createdAt: { gte: q.since }, ...(!q.anyEvent && { eventId }) },
      });
    case 'bounced':
      return client.outboxMessage.count({ where: { eventId, recipient: q.recipient, status: 'bounced' } });
  }
}

/** All the queries of one write, as the record `decide` receives. */
export async function countAll<K extends string>(client: Client, eventId: number, queries: Record<K, MailCountQuery> | undefined) {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(queries ?? {}) as K[]) out[key] = await countMail(client, eventId, queries![key]);
  return out;
}
