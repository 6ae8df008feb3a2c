// A running server with its SMTP listener and outbox delivering to a mail catcher, and an
// event whose parties were notified: the scene of the tests that answer by reply.
import { startMailCatcher, type CaughtMail, type MailCatcher } from './mail-catcher.js';
import { startTestServer, type TestServer } from './server.js';
import { client } from './api.js';
import { freePort, sleep } from './free-ports.js';
import { swaks } from './swaks.js';
import { addStandardUsers, ALICE, basic, BOB, OWNER } from './fixtures.js';

export const THREE_SLOTS = [
  { begin: '2031-03-11T14:00:00Z', duration: '01:00' },
  { begin: '2031-03-12T14:00:00Z', duration: '01:00' },
  { begin: '2031-03-13T14:00:00Z', duration: '01:00' },
];

export interface LogView { occurrence: string; effector: string; data: Record<string, unknown> }

export async function startReplyScene(env: Record<string, string> = {}) {
  const catcher: MailCatcher = await startMailCatcher();
  const smtpPort = await freePort();
  const t: TestServer = await startTestServer({
    OUTBOX_ENABLED: 'true', SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, OUTBOX_POLL_MS: '50', OUTBOX_BACKOFF_MS: '100',
    SMTP_ENABLED: 'true', SMTP_PORT: String(smtpPort), ...env,
  });
  const api = client(t.url);
  await addStandardUsers(t);

  const forEvent = (id: number) => (m: CaughtMail) => m.parsed.headers.get('x-calndro-event') === String(id);
  const scene = {
    t, catcher, api, smtpPort,
    mailsTo: (who: string, id: number) => catcher.messages.filter((m) => m.envelope.to.includes(who) && forEvent(id)(m)),
    replyAddress: (m: CaughtMail) => m.parsed.replyTo!.value[0]!.address!,
    /** Inbound processing and outbox delivery are asynchronous: waits until both are idle. */
    async settle() {
      await t.server.inbound.idle();
      await t.server.outbox?.drain();
      await sleep(50);
    },
    /** An event with ALICE and BOB, both notified; their notices (a, b) as caught. */
    async notified(slots = THREE_SLOTS) {
      const e = (await api('POST', '/', { auth: basic(OWNER), body: { title: 'Quarterly review', parties: [ALICE, BOB], slots } })).body;
      await api('POST', `/${e.id}/notify/`, { auth: basic(OWNER), body: { parties: [ALICE, BOB], slots: e.slots } });
      const a = await catcher.waitFor((m) => m.envelope.to.includes(ALICE) && forEvent(e.id)(m), 10_000);
      const b = await catcher.waitFor((m) => m.envelope.to.includes(BOB) && forEvent(e.id)(m), 10_000);
      return { e, a, b };
    },
    /** A confirmed event (both kept slot 1) and the REQUEST invite Bob got: its meet+ ORGANIZER address (the token inside), UID and SEQUENCE. */
    async invited() {
      const { e, a, b } = await scene.notified();
      await scene.reply(ALICE, a, '1');
      await scene.settle();
      await scene.reply(BOB, b, '1');
      await scene.settle();
      const invite = scene.mailsTo(BOB, e.id).find((m) => /METHOD:REQUEST/.test(m.raw.toString()))!;
      const ics = invite.parsed.attachments.find((x) => /calendar/.test(x.contentType))!.content.toString().replace(/\r\n[ \t]/g, '');
      const organizer = ics.match(/ORGANIZER[^\r\n]*mailto:(meet\+[0-9a-f]{40}@calndro\.test)/i)![1]!;
      return {
        e, invite, organizer, token: organizer.slice(5, 45),
        uid: ics.match(/UID:([^\r\n]+)/)![1]!, sequence: Number(ics.match(/SEQUENCE:(\d+)/)?.[1] ?? 0),
      };
    },
    /** A plain-text reply over real SMTP (swaks). */
    reply: (from: string, to: CaughtMail | string, body: string, headers: string[] = []) =>
      swaks(smtpPort, ['--from', from, '--to', typeof to === 'string' ? to : scene.replyAddress(to), '--header', 'Subject: Re: Quarterly review',
        ...headers.flatMap((h) => ['--header', h]), '--body', body]),
    /**
     * Replies stored as the SMTP door stores them, then handed to the running processor in one
     * go, so they are processed at the same time (over SMTP they arrive one after the other).
     * `handingOver` runs just before, in the same turn of the event loop.
     */
    async processTogether(replies: { from: string; to: CaughtMail; body: string }[], handingOver?: () => void) {
      const stored = [];
      for (const [i, r] of replies.entries()) {
        const rcpt = scene.replyAddress(r.to);
        const raw = Buffer.from([`From: ${r.from}`, `To: ${rcpt}`, 'Subject: Re: Quarterly review',
          `Message-ID: <together-${Date.now()}-${i}@example.com>`, '', r.body, ''].join('\r\n'));
        const message = { raw, mailFrom: r.from, rcptTo: [rcpt] };
        stored.push({ ...(await t.server.appDeps.stores.inbound.accept({ ...message, source: 'smtp' })), message });
      }
      handingOver?.();
      for (const { id, message } of stored) t.server.inbound.enqueue(id, message);
      await scene.settle();
    },
    event: async (id: number) => (await api('GET', `/${id}/`, { auth: basic(OWNER) })).body,
    log: async (id: number) => (await api('GET', `/${id}/log/`, { auth: basic(OWNER) })).body.entries as LogView[],
    async stop() {
      await t.stop();
      await catcher.stop();
    },
  };
  return scene;
}

export type ReplyScene = Awaited<ReturnType<typeof startReplyScene>>;
