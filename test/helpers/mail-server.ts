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
