// The only reader of process.env: every variable is validated here, and every bad one is
// reported at once at start (SPEC §8).
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

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
  EVENT_TOKEN_TTL_DAYS: positiveInt.max(365).default(14),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).default(60),
  AUTH_MAX_FAILURES: positiveInt.default(10),
  AUTH_MAX_FAILURES_PER_IP: positiveInt.default(100),
  AUTH_FAILURE_WINDOW_SECONDS: positiveInt.default(900),

  MAIL_DOMAIN: z.string().min(1).default('calndro.localhost'),
  MAIL_FROM: z.string().optional(),
  MAIL_FROM_NAME: z.string().default('calndro'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be smtp:// or smtps://').default('smtp://localhost:1025'),
  OUTBOX_ENABLED: bool.default(true),
  OUTBOX_MAX_ATTEMPTS: positiveInt.max(50).default(8),
  OUTBOX_BACKOFF_MS: positiveInt.default(2000),
  OUTBOX_BATCH_SIZE: positiveInt.max(1000).default(250),
  OUTBOX_POLL_MS: positiveInt.default(500),
  OUTBOX_CONCURRENCY: positiveInt.max(64).default(16),
  // Threads that build outgoing MIME (0: build on the main thread).
  OUTBOX_RENDER_THREADS: z.coerce.number().int().min(0).max(16).default(2),
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
  INBOUND_ALLOW_THREAD_MATCH: bool.default(false),
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
  // Empty strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = result.data;
  const problems: string[] = [];
  if ((c.SMTP_TLS_KEY === undefined) !== (c.SMTP_TLS_CERT === undefined)) {
    problems.push('SMTP_TLS_KEY and SMTP_TLS_CERT: set both or neither');
  }
  if ((c.SMTP_AUTH_USER === undefined) !== (c.SMTP_AUTH_PASSWORD === undefined)) {
    problems.push('SMTP_AUTH_USER and SMTP_AUTH_PASSWORD: set both or neither');
  }
  if (problems.length) throw new ConfigError(problems);
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    ...c,
    PUBLIC_URL: publicUrl,
    MAIL_FROM: c.MAIL_FROM ?? `calndro@${c.MAIL_DOMAIN}`,
  });
}
