// Event tokens, API keys and the sealing of secrets kept briefly in outbox rows.
// Tokens have 160 random bits, so a plain SHA-256 is a safe lookup hash (no KDF needed).
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomFillSync } from 'node:crypto';
import type { TokenService } from '../domain/ports.js';

export interface Sealer {
  seal(secret: string): string;
  open(sealed: string): string;
}

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolUsed = POOL_BYTES;

/**
 * Fresh random bytes, cut from a pool filled by one call to the system's generator per 4 KB
 * (as Node's randomUUID does): a call per token cost ~6 µs here, and every mail takes two.
 * Each byte is handed out once; the copy returned is the caller's own.
 */
function pooledRandomBytes(n: number): Buffer {
  if (n > POOL_BYTES) return randomFillSync(Buffer.alloc(n));
  if (poolUsed + n > POOL_BYTES) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  const out = Buffer.from(pool.subarray(poolUsed, poolUsed + n));
  // Handed out: not kept in the pool (a token's bytes would outlive it there).
  pool.fill(0, poolUsed, poolUsed + n);
  poolUsed += n;
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The lookup hash of an event token (event_tokens is keyed by it); not reversible: 160 random bits. */
export function tokenHash(token: string): string {
  return sha256Hex(token.toLowerCase());
}

export function subKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'calndro', purpose, 32));
}

/** AES-256-GCM with a key derived from SECRET_KEY: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function createSealer(secretKey: string): Sealer {
  const key = subKey(secretKey, 'outbox-seal');
  return {
    seal(secret) {
      const iv = pooledRandomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('Not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

export function createTokenService(secretKey: string): TokenService & { open(sealed: string): string } {
  const sealer = createSealer(secretKey);
  const fpKey = subKey(secretKey, 'token-fingerprint');
  const fingerprintOfHash = (hash: string) => createHmac('sha256', fpKey).update(hash).digest('hex').slice(0, 12);
  return {
    generate: () => pooledRandomBytes(20).toString('hex'),
    hash: tokenHash,
    // Keyed on the hash, so a token known only by its hash (stored mail) has the same fingerprint.
    fingerprint: (token) => fingerprintOfHash(tokenHash(token)),
    fingerprintOfHash,
    seal: (s) => sealer.seal(s),
    open: (s) => sealer.open(s),
  };
}

/** Keyed hash for cache keys of credentials (never the credential itself in memory maps). */
export function createCredentialHasher(secretKey: string): (value: string) => string {
  const key = subKey(secretKey, 'credential-cache');
  return (value) => createHmac('sha256', key).update(value).digest('base64url');
}
