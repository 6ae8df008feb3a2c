// A started server whose outbox delivers to a real SMTP catcher, with the standard users:
// the set-up shared by the tests that follow mail from the API to an inbox.
import { startMailCatcher, type MailCatcher } from './mail-catcher.js';
import { mailEnv, startTestServer, type TestServer } from './server.js';
import { client } from './api.js';
import { addStandardUsers } from './fixtures.js';

export interface MailServer {
  t: TestServer;
  catcher: MailCatcher;
  api: ReturnType<typeof client>;
}

export async function startMailServer(env: Record<string, string> = {}): Promise<MailServer> {
  const catcher = await startMailCatcher();
  const t = await startTestServer({ ...mailEnv(catcher.port), ...env });
  await addStandardUsers(t);
  return { t, catcher, api: client(t.url) };
}

/**
 * The personal token from the link in the first real mail `who` got about event `id`. (The
 * outbox worker erases sealed tokens from rows once sent, so reading rows races.)
 */
export async function linkToken(catcher: MailCatcher, id: number, who: string): Promise<string> {
  const mail = await catcher.waitFor((m) => m.envelope.to.includes(who) && m.parsed.headers.get('x-calndro-event') === String(id), 10_000);
  const et = (mail.parsed.text ?? '').match(new RegExp(`/${id}/\\?et=([0-9a-f]{40})`))?.[1];
  if (!et) throw new Error(`no token link in the mail to ${who}:\n${mail.parsed.text}`);
  return et;
}
