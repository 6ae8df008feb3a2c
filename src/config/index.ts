// The only reader of process.env: every variable is validated here, and every bad one is
// reported at once at start (SPEC §8).
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
// Decimal digits only: z.coerce.number() would read '  ' as 0 and '0x50' as 80.
const wholeNumber = z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number);
const intIn = (min: number, max = Number.MAX_SAFE_INTEGER) => wholeNumber.pipe(z.number().min(min).max(max));
const port = intIn(0, 65535);
const positiveInt = intIn(1);
// A duration with its unit (s, m, h, d; a bare number is seconds) → milliseconds.
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const duration = z.string().trim().regex(/^\d+\s*[smhd]?$/i, 'must be a duration such as 90s, 5m, 2h or 1d')
  .transform((v) => Number(v.replace(/\D+$/, '').trim()) * UNIT_MS[(v.match(/[smhd]$/i)?.[0].toLowerCase() ?? 's') as keyof typeof UNIT_MS])
  .pipe(z.number().min(1_000, 'must be at least 1s'));

/** Settings that were removed, with why; setting one to a true value stops the start. */
const REMOVED: Record<string, string> = {
  INBOUND_ALLOW_THREAD_MATCH: 'removed: a forged From plus a known Message-ID let anyone act as another party, with no expiry; '
    + 'replies are identified by their reply+<token> address only (SPEC §5). Unset it.',
};

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
  HOST: z.string().min(1).default('127.0.0.1'),
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

  MAIL_DOMAIN: z.string().min(1).default('calndro.localhost'),
  MAIL_FROM: z.string().optional(),
  MAIL_FROM_NAME: z.string().default('calndro'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be smtp:// or smtps://')
    .refine((v) => URL.canParse(v), 'is not a valid URL').default('smtp://localhost:1025'),
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
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: port.default(2525),
  SMTP_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  SMTP_TLS_KEY: z.string().optional(),
  SMTP_TLS_CERT: z.string().optional(),
  SMTP_AUTH_USER: z.string().optional(),
  SMTP_AUTH_PASSWORD: z.string().optional(),
  // Connections at once, and how long one message (DATA) may take: slow senders hold sockets.
  SMTP_MAX_CLIENTS: intIn(1, 100_000).default(100),
  SMTP_DATA_TIMEOUT: duration.default(300_000),
  // Stored replies processed at once; their writes share commits (db/write-batch.ts).
  INBOUND_CONCURRENCY: intIn(1, 256).default(32),
  HELP_REPLIES_PER_HOUR: positiveInt.default(3),

  IMAP_URL: z.string().regex(/^imaps?:\/\//, 'must be imap:// or imaps://').optional(),
  IMAP_MAILBOX: z.string().default('INBOX'),
  IMAP_PROCESSED: z.string().regex(/^(flag|move:.+)$/, 'must be "flag" or "move:<folder>"').default('flag'),
  IMAP_POLL_SECONDS: positiveInt.default(60),
});

export type Config = Readonly<
  Omit<z.infer<typeof schema>, 'PUBLIC_URL' | 'MAIL_FROM'> & { PUBLIC_URL: string; MAIL_FROM: string }
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
  for (const [name, why] of Object.entries(REMOVED)) {
    const value = cleaned[name]?.trim().toLowerCase();
    if (value !== undefined && !['false', '0', 'no'].includes(value)) problems.push(`${name}: ${why}`);
  }
  if (!result.success || problems.length) throw new ConfigError(problems);
  const c = result.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    ...c,
    PUBLIC_URL: publicUrl,
    MAIL_FROM: c.MAIL_FROM ?? `calndro@${c.MAIL_DOMAIN}`,
  });
}
