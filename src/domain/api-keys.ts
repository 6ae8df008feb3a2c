// API keys for `Authorization: Token <key>` (SPEC §3): issued for a password, valid until
// API_TOKEN_TTL has passed, the key is revoked, or the user's password changes. Only a
// key's hash is stored.
import { DomainError, validationError } from './errors.js';
import { normalizeEmail } from './emails.js';
import { verifyPassword } from './users.js';
import type { ApiKeyRecord, Deps, UserRecord } from './ports.js';

export type PasswordCheck = (email: string, password: string) => Promise<UserRecord | null>;

/**
 * POST /api-token-auth/: a new API key for valid credentials. `check` is how the password is
 * verified; the HTTP door passes its throttled check.
 */
export async function issueApiToken(deps: Deps, username: unknown, password: unknown,
  check: PasswordCheck = (email, pw) => verifyPassword(deps, email, pw)): Promise<{ key: string; expiresAt: Date }> {
  const fields: Record<string, string[]> = {};
  if (typeof username !== 'string' || !username) fields.username = ['This field is required.'];
  if (typeof password !== 'string' || !password) fields.password = ['This field is required.'];
  if (Object.keys(fields).length) throw validationError(fields);
  const user = await check(normalizeEmail(username as string), password as string);
  if (!user) throw validationError({ non_field_errors: ['Unable to log in with provided credentials.'] });
  const key = deps.tokens.generate();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.apiTokenTtlSeconds * 1000);
  await deps.apiTokens.create({ userId: user.id, keyHash: deps.tokens.hash(key), expiresAt, credentialVersion: user.credentialVersion }, now);
  return { key, expiresAt };
}

/** The key's record if it still signs its user in; throws `not_authenticated` otherwise. */
export async function liveApiKey(deps: Deps, key: string): Promise<ApiKeyRecord> {
  const found = await deps.apiTokens.find(deps.tokens.hash(key));
  if (!found?.user.isActive) throw new DomainError('not_authenticated', 'Invalid token.');
  if (found.expiresAt <= deps.clock.now()) throw new DomainError('not_authenticated', 'Token expired; sign in again.');
  if (found.credentialVersion !== found.user.credentialVersion) {
    throw new DomainError('not_authenticated', 'Token revoked by a password change; sign in again.');
  }
  return found;
}

/** Revokes one key (DELETE /api-token-auth/). Idempotent: false when it was already gone. */
export function revokeApiKey(deps: Deps, key: string): Promise<boolean> {
  return deps.apiTokens.revoke(deps.tokens.hash(key));
}

/** Revokes every key of a user (the API for the caller, the CLI for any user); how many there were. */
export function revokeAllApiKeys(deps: Deps, user: UserRecord): Promise<number> {
  return deps.apiTokens.revokeAll(user.id);
}
