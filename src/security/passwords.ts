// Password hashing with scrypt (memory-hard, in node:crypto). Format:
// scrypt$N$r$p$salt(b64)$hash(b64), so parameters can be raised later without a migration.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import type { PasswordHasher } from '../domain/ports.js';

const KEYLEN = 32;
const DEFAULTS = { N: 16384, r: 8, p: 1 };

// Each derivation holds 128·N·r bytes (16 MB at the defaults) for its duration; at most
// `concurrency` run at once, so a burst of sign-ins queues instead of multiplying the process's
// memory (and leaving libuv's pool free for file system work meanwhile). The queue is bounded
// too: a flood of guesses must not delay every honest sign-in behind it.
export interface KdfLimits {
  concurrency: number;
  /** Checks allowed to wait for a slot; one more is refused with `throttled`. */
  maxQueue: number;
}

const DEFAULT_LIMITS: KdfLimits = { concurrency: 2, maxQueue: 32 };

function kdfGate(limits: KdfLimits) {
  let running = 0;
  let averageMs = 100; // moving average of one derivation, for Retry-After
  const waiting: (() => void)[] = [];
  return async function limited<T>(work: () => Promise<T>): Promise<T> {
    if (running >= limits.concurrency) {
      if (waiting.length >= limits.maxQueue) {
        const retryAfter = Math.max(1, Math.ceil(((waiting.length / limits.concurrency) * averageMs) / 1000));
        throw new DomainError('throttled', `Too many sign-ins at once; try again in ${retryAfter} s.`, { retryAfter });
      }
      await new Promise<void>((r) => waiting.push(r));
    }
    running++;
    const started = performance.now();
    try {
      return await work();
    } finally {
      averageMs = averageMs * 0.8 + (performance.now() - started) * 0.2;
      running--;
      waiting.shift()?.();
    }
  };
}

type Gate = ReturnType<typeof kdfGate>;

function derive(gate: Gate, password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r };
  return gate(() => new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEYLEN, options, (err, key) => (err ? reject(err) : resolve(key))),
  ));
}

export function createPasswordHasher(params = DEFAULTS, limits: Partial<KdfLimits> = {}): PasswordHasher {
  const gate = kdfGate({ ...DEFAULT_LIMITS, ...limits });
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(gate, password, salt, params);
      return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
    },
    async verify(password, stored) {
      const [scheme, n, r, p, salt, hash] = stored.split('$');
      if (scheme !== 'scrypt' || !salt || !hash) return false;
      const expected = Buffer.from(hash, 'base64');
      const key = await derive(gate, password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
      return expected.length === key.length && timingSafeEqual(expected, key);
    },
  };
}
