// Shared set-up for API tests: users, an event, and the tokens that notify mails carry.
import type { TestServer } from './server.js';
import type { RunningServer } from '../../src/server.js';

/** A real server or the in-process app (inject-app.ts): what these helpers need of either. */
type WithDeps = { server: Pick<RunningServer, 'appDeps'> };
import type { MailPayload } from '../../src/domain/notification.js';

export const OWNER = 'owner@example.com';
export const ALICE = 'alice@example.com';
export const BOB = 'bob@example.com';
export const STAFF = 'staff@example.com';
export const STRANGER = 'stranger@example.com';
export const PASSWORD = 'correct horse battery';

export async function addStandardUsers(t: Pick<TestServer, 'addUser'>): Promise<void> {
  await t.addUser(OWNER, PASSWORD);
  await t.addUser(STAFF, PASSWORD, true);
  await t.addUser(STRANGER, PASSWORD);
}

export const basic = (email: string) => ({ basic: [email, PASSWORD] as [string, string] });

export interface OutboxView { id: number; kind: string; recipient: string; messageId: string; status: string; payload: MailPayload }

export async function outboxRows(t: WithDeps, eventId?: number): Promise<OutboxView[]> {
  const rows = await t.server.appDeps.stores.database.db.outboxMessage.findMany({
    where: eventId === undefined ? {} : { eventId },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as MailPayload }));
}

/** The personal token carried by the newest mail to `recipient` (what the link contains). */
export async function tokenFor(t: WithDeps, eventId: number, recipient: string): Promise<string> {
  const rows = (await outboxRows(t, eventId)).filter((r) => r.recipient === recipient);
  const last = rows.at(-1);
  if (!last?.payload.sealedToken) throw new Error(`no mail to ${recipient}`);
  return t.server.appDeps.openSealed(last.payload.sealedToken);
}
