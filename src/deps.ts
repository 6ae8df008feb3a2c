// Composition root: config → database stores, token, cursor and password services, clock.
import type { Config } from './config/index.js';
import type { Clock, Deps } from './domain/ports.js';
import { openStores, type Stores } from './db/index.js';
import { createTokenService, createCredentialHasher } from './security/tokens.js';
import { createPasswordHasher } from './security/passwords.js';
import { createCursorCodec } from './security/page-cursors.js';
import { loadSecretKey } from './security/secret-key.js';

export interface AppDeps {
  deps: Deps;
  stores: Stores;
  secretKey: string;
  /** Opens values sealed into outbox rows. */
  openSealed: (sealed: string) => string;
  credentialHash: (value: string) => string;
  close(): Promise<void>;
}

export async function buildDeps(config: Config, overrides: { clock?: Clock } = {}): Promise<AppDeps> {
  const secretKey = loadSecretKey(config.SECRET_KEY, config.DATA_DIR);
  const stores = await openStores(config.DATABASE_URL, { mailDomain: config.MAIL_DOMAIN, ...overrides, lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS });
  const tokens = createTokenService(secretKey);
  const deps: Deps = {
    events: stores.events,
    users: stores.users,
    apiTokens: stores.apiTokens,
    eventTokens: stores.eventTokens,
    log: stores.log,
    mail: stores.mail,
    drafts: stores.drafts,
    tokens,
    cursors: createCursorCodec(secretKey),
    passwords: createPasswordHasher(undefined, { maxQueue: config.AUTH_KDF_QUEUE }),
    clock: stores.clock,
    config: {
      defaultTimeZone: config.DEFAULT_TIMEZONE,
      eventTokenTtlDays: config.EVENT_TOKEN_TTL_DAYS,
      apiTokenTtlSeconds: config.API_TOKEN_TTL,
      noticesPerPartyPerHour: config.NOTICES_PER_PARTY_PER_HOUR,
      outboxPendingPerEvent: config.OUTBOX_PENDING_PER_EVENT,
      organizeByMail: config.ORGANIZE_BY_MAIL,
      organizePerDay: config.ORGANIZE_PER_DAY,
      draftTtlMs: config.DRAFT_TTL,
      defaultSlotMinutes: config.DEFAULT_SLOT_MINUTES,
      followUp: {
        remindAfterMs: config.REMIND_AFTER,
        remindBeforeMs: config.REMIND_BEFORE,
        remindersMax: config.REMINDERS_MAX,
        autoBook: config.AUTO_BOOK_AT_DEADLINE,
        counterDeclineAfterMs: config.COUNTER_DECLINE_AFTER,
      },
    },
    random: Math.random,
  };
  return {
    deps,
    stores,
    secretKey,
    openSealed: (s) => tokens.open(s),
    credentialHash: createCredentialHasher(secretKey),
    close: () => stores.close(),
  };
}
