// The only reader of process.env: every variable is validated here, and every bad one is
// reported at once at start (SPEC §8).
import { z } from 'zod';
import { durationSeconds, trustProxy } from './settings-types.js';
import { isDomainName, isListenHost, isLoopbackHost, parseMailbox } from './addresses.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
// Decimal digits only: z.coerce.number() would read '  ' as 0 and '0x50' as 80.
const wholeNumber = z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number);
const intIn = (min: number, max = Number.MAX_SAFE_INTEGER) => wholeNumber.pipe(z.number().min(min).max(max));
const port = intIn(0, 65535);
const positiveInt = intIn(1);
// A duration setting (settings-types.ts: 90s, 5m, 2h, 1d) in milliseconds.
const durationMs = (minSeconds: number, maxSeconds: number) => durationSeconds(minSeconds, maxSeconds).transform((sec) => sec * 1000);

/** Settings that were removed, with why; setting one to a true value stops the start. */
const REMOVED: Record<string, string> = {
  INBOUND_ALLOW_THREAD_MATCH: 'removed: a forged From plus a known Message-ID let anyone act as another party, with no expiry; '
    + 'replies are identified by their reply+<token> address only (SPEC §5). Unset it.',
};

/** A server URL with one of `schemes` and a host; one problem per bad value. */
const serverUrl = (schemes: string[]) => z.string().superRefine((v, ctx) => {
  const expected = schemes.map((s) => `${s}://`).join(' or ');
  const problem = !schemes.some((s) => v.startsWith(`${s}://`)) ? `must be ${expected}`
    : !URL.canParse(v) ? 'is not a valid URL'
      : new URL(v).hostname === '' ? 'names no host' : null;
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const TLS_QUERY = /^(tls\.|secure$|requiretls$|ignoretls$|opportunistictls$)/i;
const listenHost = z.string().refine(isListenHost, 'must be an IP address or a host name');
const mailbox = z.string().transform((v, ctx) => {
  const m = parseMailbox(v);
  if (!m) ctx.addIssue({ code: 'custom', message: 'must be an address (bot@example.org) or "Name <bot@example.org>"' });
  return m ?? { address: '', name: '' };
});

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  HOST: listenHost.default('127.0.0.1'),
  PORT: port.default(8000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: or postgresql://')
    .default('file:./data/calndro.db'),
  DATA_DIR: z.string().default('./data'),
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  DEFAULT_TIMEZONE: z.string().refine(isTimeZone, 'unknown IANA time zone').default('UTC'),
  EVENT_TOKEN_TTL_DAYS: intIn(1, 365).default(14),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  AUTH_CACHE_SECONDS: intIn(0).default(60),
  AUTH_MAX_FAILURES: positiveInt.default(10),
  AUTH_MAX_FAILURES_PER_IP: positiveInt.default(100),
  AUTH_FAILURE_WINDOW_SECONDS: positiveInt.default(900),
  // Past AUTH_MAX_FAILURES, one more attempt per delay: this long, doubling, up to the cap.
  AUTH_RETRY_DELAY: durationSeconds(1, 86_400).default(1),
  AUTH_RETRY_DELAY_MAX: durationSeconds(1, 86_400).default(900),
  // Accounts and addresses the throttle remembers; past it the least recently seen are dropped.
  AUTH_THROTTLE_MAX_ENTRIES: intIn(1, 10_000_000).default(100_000),
  // Password checks waiting for a KDF slot (16 MB each while running); past it: 429.
  AUTH_KDF_QUEUE: intIn(0, 10_000).default(32),
  API_TOKEN_TTL: durationSeconds(1, 3650 * 86_400).default(30 * 86_400),
  TRUST_PROXY: trustProxy.default(false),

  MAIL_DOMAIN: z.string().refine(isDomainName, 'must be a domain name such as example.org').default('calndro.localhost'),
  // `Name <addr>` is split: the name stands for MAIL_FROM_NAME unless that is set.
  MAIL_FROM: mailbox.optional(),
  MAIL_FROM_NAME: z.string().refine((v) => !/[\r\n]/.test(v), 'must be one line').optional(),
  SMTP_URL: serverUrl(['smtp', 'smtps'])
    // nodemailer would apply these query options over the two settings below.
    .refine((v) => !URL.canParse(v) || ![...new URL(v).searchParams.keys()].some((k) => TLS_QUERY.test(k)),
      'must not carry TLS options in its query: use SMTP_REQUIRE_TLS and SMTP_TLS_REJECT_UNAUTHORIZED')
    .default('smtp://localhost:1025'),
  // Both default to on for a relay that is not on this machine, off for loopback (dev inbox).
  SMTP_TLS_REJECT_UNAUTHORIZED: bool.optional(),
  SMTP_REQUIRE_TLS: bool.optional(),
  OUTBOX_ENABLED: bool.default(true),
  OUTBOX_MAX_ATTEMPTS: intIn(1, 50).default(8),
  OUTBOX_BACKOFF_MS: positiveInt.default(2000),
  OUTBOX_BATCH_SIZE: intIn(1, 1000).default(250),
  OUTBOX_POLL_MS: positiveInt.default(500),
  OUTBOX_CONCURRENCY: intIn(1, 64).default(16),
  // Delivery threads that build and send outgoing mail (0: on the main thread). One keeps up
  // with ~1,800 mails/s here; each more adds 20-40 MB of RSS for ~15% (bench:outbound).
  OUTBOX_THREADS: intIn(0, 16).default(1),
  // A row claimed by a worker that died is taken over after this long.
  OUTBOX_LOCK_SECONDS: positiveInt.default(120),

  SMTP_ENABLED: bool.default(true),
  SMTP_HOST: listenHost.default('127.0.0.1'),
  SMTP_PORT: port.default(2525),
  SMTP_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  SMTP_TLS_KEY: z.string().optional(),
  SMTP_TLS_CERT: z.string().optional(),
  SMTP_AUTH_USER: z.string().optional(),
  SMTP_AUTH_PASSWORD: z.string().optional(),
  // Connections at once, and how long one message (DATA) may take: slow senders hold sockets.
  SMTP_MAX_CLIENTS: intIn(1, 100_000).default(100),
  SMTP_DATA_TIMEOUT: durationMs(1, 86_400).default(300_000),
  // Stored replies processed at once; their writes share commits (db/write-batch.ts).
  INBOUND_CONCURRENCY: intIn(1, 256).default(32),
  // Threads that parse inbound mail and extract the reply (0: on the main thread). One keeps the
  // main thread (SMTP door, API, database) free of that work on two cores.
  INBOUND_PARSE_THREADS: intIn(0, 16).default(1),
  // How long a parse thread may hold messages without finishing one before it is stopped and
  // replaced; the message it was reading alone is kept as failed. No limit with 0 threads.
  INBOUND_PARSE_TIMEOUT: durationMs(1, 86_400).default(10_000),
  HELP_REPLIES_PER_HOUR: positiveInt.default(3),
  // Mail amplification caps: notices to the other parties one party may cause per event and
  // hour, and unsent outbox rows per event (a notice that would exceed it is skipped).
  NOTICES_PER_PARTY_PER_HOUR: positiveInt.default(20),
  OUTBOX_PENDING_PER_EVENT: positiveInt.default(1000),
  // PostgreSQL: how long a write waits for an event's row lock before answering "busy" (503).
  DB_LOCK_TIMEOUT_MS: intIn(50, 60_000).default(5000),

  // Retention (SPEC §13): raw inbound mail, sent outbox rows, and tokens and API keys past
  // their expiry are kept this long. Below 1h the hourly caps count fewer mails than were sent.
  INBOUND_RETENTION: durationMs(1, 3650 * 86_400).default(30 * 86_400_000),
  OUTBOX_RETENTION: durationMs(1, 3650 * 86_400).default(30 * 86_400_000),
  TOKEN_RETENTION: durationMs(1, 3650 * 86_400).default(30 * 86_400_000),
  // How often the retention job runs (at most weekly), rows per statement, and how long a run
  // whose instance died holds its claim (renewed after every batch).
  RETENTION_INTERVAL: durationMs(1, 7 * 86_400).default(3_600_000),
  RETENTION_BATCH_SIZE: intIn(1, 10_000).default(500),
  RETENTION_CLAIM: durationMs(1, 86_400).default(300_000),

  // Organizing by e-mail (SPEC §10): who may mail new@, drafts per sender and day, how long a
  // draft waits for its `send`, the length of a time given without one, the local part of new@.
  ORGANIZE_BY_MAIL: z.enum(['users', 'anyone', 'off']).default('users'),
  ORGANIZE_PER_DAY: intIn(1, 10_000).default(20),
  DRAFT_TTL: durationMs(1, 365 * 86_400).default(7 * 86_400_000),
  DEFAULT_SLOT_MINUTES: intIn(1, 7 * 24 * 60).default(60),
  MAIL_NEW_LOCAL: z.string().trim().toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a plain local part such as new (letters, digits, . _ -)')
    .refine((v) => !/^(reply|meet|bounce)$/.test(v), 'must not be reply, meet or bounce (the bot\'s token addresses)')
    .default('new'),
  // Follow-up (SPEC §11). Without respond_by: a reminder REMIND_AFTER after the proposal, the
  // next twice that after it; with it: at half the time left and REMIND_BEFORE before it.
  REMIND_AFTER: durationMs(1, 365 * 86_400).default(2 * 86_400_000),
  REMIND_BEFORE: durationMs(1, 365 * 86_400).default(86_400_000),
  REMINDERS_MAX: intIn(0, 10).default(2),
  AUTO_BOOK_AT_DEADLINE: bool.default(false),
  // SPEC §12: a calendar's COUNTER the organizer ignores gets a DECLINECOUNTER at respond_by, or this long after it came.
  COUNTER_DECLINE_AFTER: durationMs(1, 365 * 86_400).default(7 * 86_400_000),
  // How often each instance looks for due reminders and deadlines, how many events per batch,
  // and how long an event taken by an instance that died stays taken.
  REMINDER_INTERVAL: durationMs(1, 86_400).default(30_000),
  REMINDER_BATCH_SIZE: intIn(1, 1000).default(50),
  REMINDER_CLAIM: durationMs(1, 86_400).default(120_000),

  IMAP_URL: serverUrl(['imap', 'imaps']).optional(),
  IMAP_MAILBOX: z.string().default('INBOX'),
  IMAP_PROCESSED: z.string().regex(/^(flag|move:.+)$/, 'must be "flag" or "move:<folder>"').default('flag'),
  IMAP_POLL_SECONDS: positiveInt.default(60),
});

type Resolved = 'PUBLIC_URL' | 'MAIL_FROM' | 'MAIL_FROM_NAME' | 'SMTP_TLS_REJECT_UNAUTHORIZED' | 'SMTP_REQUIRE_TLS';
export type Config = Readonly<
  Omit<z.infer<typeof schema>, Resolved> & {
    PUBLIC_URL: string;
    /** The bare address (a `Name <addr>` value is split into MAIL_FROM and MAIL_FROM_NAME). */
    MAIL_FROM: string;
    MAIL_FROM_NAME: string;
    SMTP_TLS_REJECT_UNAUTHORIZED: boolean;
    SMTP_REQUIRE_TLS: boolean;
  }
>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Pure: validates an environment object. Throws ConfigError listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty or blank strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = schema.safeParse(cleaned);
  const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  // Pairs are checked on the raw values, so they are reported even when other variables fail.
  const pairs: [string, string][] = [['SMTP_TLS_KEY', 'SMTP_TLS_CERT'], ['SMTP_AUTH_USER', 'SMTP_AUTH_PASSWORD']];
  for (const [a, b] of pairs) {
    if ((cleaned[a] === undefined) !== (cleaned[b] === undefined)) problems.push(`${a} and ${b}: set both or neither`);
  }
  if (result.success && result.data.AUTH_RETRY_DELAY > result.data.AUTH_RETRY_DELAY_MAX) {
    problems.push('AUTH_RETRY_DELAY: must not be longer than AUTH_RETRY_DELAY_MAX');
  }
  for (const [name, why] of Object.entries(REMOVED)) {
    const value = cleaned[name]?.trim().toLowerCase();
    if (value !== undefined && !['false', '0', 'no'].includes(value)) problems.push(`${name}: ${why}`);
  }
  if (!result.success || problems.length) throw new ConfigError(problems);
  const c = result.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  const remoteRelay = !isLoopbackHost(new URL(c.SMTP_URL).hostname);
  return Object.freeze({
    ...c,
    PUBLIC_URL: publicUrl,
    MAIL_FROM: c.MAIL_FROM?.address ?? `calndro@${c.MAIL_DOMAIN}`,
    MAIL_FROM_NAME: c.MAIL_FROM_NAME ?? (c.MAIL_FROM?.name || 'calndro'),
    SMTP_TLS_REJECT_UNAUTHORIZED: c.SMTP_TLS_REJECT_UNAUTHORIZED ?? remoteRelay,
    SMTP_REQUIRE_TLS: c.SMTP_REQUIRE_TLS ?? remoteRelay,
  });
}
