// Resolves who is calling (SPEC §3): HTTP Basic, `Authorization: Token <key>`, or an event
// token from ?et=, a JSON body field `et` (any method, GET included) or X-Event-Token.
// A signed-in user ignores `et`. Basic auth runs scrypt only on a cache miss: a verified
// header is remembered briefly under a keyed hash and forgotten when the password changes.
// Every password check is counted by the throttle before the KDF runs (see throttle.ts).
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { verifyPassword } from '../../domain/users.js';
import { actorForToken } from '../../domain/token-actor.js';
import { liveApiKey } from '../../domain/api-keys.js';
import { normalizeEmail } from '../../domain/emails.js';
import type { Actor } from '../../domain/actor.js';
import type { ApiKeyRecord, Deps, UserRecord } from '../../domain/ports.js';
import { FailureThrottle, type Reservation } from './throttle.js';

export interface AuthOptions {
  cacheSeconds: number;
  /** Failed sign-ins allowed per account, and per client address, within the window. */
  maxFailures: number;
  maxFailuresPerIp: number;
  failureWindowSeconds: number;
  /** Past the limit: the first delay before one more attempt, and its cap. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** Accounts (and, apart, addresses) the throttle remembers. */
  throttleMaxEntries: number;
  credentialHash: (value: string) => string;
}

interface CachedCredential { userId: number; credentialVersion: number; expires: number }

const CACHE_LIMIT = 10_000;

export class Authenticator {
  private cache = new Map<string, CachedCredential>();
  private verifying = new Map<string, Promise<UserRecord>>();
  private accounts: FailureThrottle;
  private addresses: FailureThrottle;

  constructor(private readonly deps: Deps, private readonly opts: AuthOptions) {
    const common = {
      windowMs: opts.failureWindowSeconds * 1000,
      firstDelayMs: opts.retryDelaySeconds * 1000,
      maxDelayMs: opts.retryDelayMaxSeconds * 1000,
      maxEntries: opts.throttleMaxEntries,
      now: () => deps.clock.now().getTime(),
    };
    this.accounts = new FailureThrottle({ ...common, limit: opts.maxFailures });
    // Looser per address: many honest users may share one (NAT), but a sprayer is still capped.
    this.addresses = new FailureThrottle({ ...common, limit: opts.maxFailuresPerIp });
  }

  /**
   * Runs one password check for `email` under the throttle: counted before `check` runs; a
   * right password (`check` returns a user) takes the count back and clears the account's
   * record, a wrong one (null) keeps it, an error (no verdict) takes it back.
   */
  private async throttled(ip: string, email: string, check: () => Promise<UserRecord | null>): Promise<UserRecord | null> {
    const address = this.addresses.reserve([ip]);
    let account: Reservation;
    try {
      account = this.accounts.reserve([email]);
    } catch (e) {
      address.cancel();
      throw e;
    }
    let result: UserRecord | null;
    try {
      result = await check();
    } catch (e) {
      address.cancel();
      account.cancel();
      throw e;
    }
    if (result) {
      address.succeeded(false);
      account.succeeded(true);
    }
    return result;
  }

  /** The caller, or null when no credentials were sent. Bad credentials throw. */
  async resolve(request: FastifyRequest): Promise<Actor | null> {
    const header = request.headers.authorization;
    if (header) return { kind: 'user', user: await this.userFromHeader(header, request.ip) };
    const et = eventTokenOf(request);
    return et ? this.tokenActor(et) : null;
  }

  async required(request: FastifyRequest): Promise<Actor> {
    const actor = await this.resolve(request);
    if (!actor) throw new DomainError('not_authenticated', 'Authentication credentials were not provided.');
    return actor;
  }

  private async userFromHeader(header: string, ip: string): Promise<UserRecord> {
    const [scheme, value = ''] = header.split(/\s+/, 2);
    const kind = scheme?.toLowerCase();
    if (kind === 'token') return (await liveApiKey(this.deps, value.trim())).user;
    if (kind === 'basic') return this.basicUser(value.trim(), ip);
    throw new DomainError('not_authenticated', 'Unsupported authorization scheme; use Basic or Token.');
  }

  private async basicUser(encoded: string, ip: string): Promise<UserRecord> {
    const key = this.opts.credentialHash(encoded);
    const hit = this.cache.get(key);
    if (hit && hit.expires > this.deps.clock.now().getTime()) {
      const user = await this.deps.users.findById(hit.userId);
      if (user?.isActive && user.credentialVersion === hit.credentialVersion) return user;
      this.cache.delete(key);
    }
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) throw new DomainError('not_authenticated', 'Invalid basic header.');
    const email = normalizeEmail(decoded.slice(0, colon));
    // Requests carrying the same header while it is being checked share that one check: a burst
    // of 32 made 32 scrypt runs (16 MB each), the largest part of the API's peak memory.
    const pending = this.verifying.get(key);
    if (pending) return pending;
    const verification = this.verifyBasic(key, email, decoded.slice(colon + 1), ip);
    this.verifying.set(key, verification);
    try {
      return await verification;
    } finally {
      this.verifying.delete(key);
    }
  }

  private async verifyBasic(key: string, email: string, password: string, ip: string): Promise<UserRecord> {
    const user = await this.checkPassword(ip, email, password);
    if (!user) throw new DomainError('not_authenticated', 'Invalid username/password.');
    if (this.opts.cacheSeconds > 0) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { userId: user.id, credentialVersion: user.credentialVersion, expires: this.deps.clock.now().getTime() + this.opts.cacheSeconds * 1000 });
    }
    return user;
  }

  /** A password check under the same throttle as Basic auth (POST /api-token-auth/). */
  checkPassword(ip: string, email: string, password: string): Promise<UserRecord | null> {
    return this.throttled(ip, email, () => verifyPassword(this.deps, email, password));
  }

  /** The API key this request signs in with (`Authorization: Token`), checked to be live. */
  async presentedKey(request: FastifyRequest): Promise<{ key: string; record: ApiKeyRecord }> {
    const [scheme, value = ''] = (request.headers.authorization ?? '').split(/\s+/, 2);
    if (scheme?.toLowerCase() !== 'token') {
      if (!request.headers.authorization) throw new DomainError('not_authenticated', 'Authentication credentials were not provided.');
      throw new DomainError('validation', 'Send the key itself: Authorization: Token <key>.');
    }
    const key = value.trim();
    return { key, record: await liveApiKey(this.deps, key) };
  }

  tokenActor(token: string): Promise<Actor> {
    return actorForToken(this.deps, token);
  }
}

export function eventTokenOf(request: FastifyRequest): string | undefined {
  const fromQuery = (request.query as { et?: unknown } | undefined)?.et;
  if (typeof fromQuery === 'string' && fromQuery) return fromQuery;
  const body = request.body as { et?: unknown } | undefined;
  if (body && typeof body === 'object' && typeof body.et === 'string' && body.et) return body.et;
  const header = request.headers['x-event-token'];
  return typeof header === 'string' && header ? header : undefined;
}
