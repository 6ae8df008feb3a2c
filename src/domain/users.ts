import { DomainError, validationError } from './errors.js';
import { isEmail, normalizeEmail } from './emails.js';
import type { Deps, UserRecord } from './ports.js';

export const MIN_PASSWORD = 8;

/** Creates an active user, or activates an inactive one (a former party) with a password. */
export async function addUser(deps: Deps, input: { email: string; password: string; staff?: boolean }): Promise<UserRecord> {
  const fields: Record<string, string[]> = {};
  if (!isEmail(input.email)) fields.email = [`${JSON.stringify(input.email)} is not a valid e-mail address.`];
  if (input.password.length < MIN_PASSWORD) fields.password = [`At least ${MIN_PASSWORD} characters.`];
  if (Object.keys(fields).length) throw validationError(fields);
  const email = normalizeEmail(input.email);
  const existing = await deps.users.findByEmail(email);
  if (existing?.isActive) throw new DomainError('user_exists', `A user ${email} already exists.`);
  return deps.users.createOrActivate(email, await deps.passwords.hash(input.password), input.staff ?? false);
}

/** Checks a password; null when the user is unknown, inactive or the password is wrong. */
export async function verifyPassword(deps: Deps, email: string, password: string): Promise<UserRecord | null> {
  const user = await deps.users.findByEmail(normalizeEmail(email));
  if (!user?.isActive || !user.passwordHash) {
    // Same work whether or not the account exists, so timing does not reveal it.
    await deps.passwords.verify(password, DUMMY_HASH);
    return null;
  }
  return (await deps.passwords.verify(password, user.passwordHash)) ? user : null;
}

export async function changePassword(deps: Deps, email: string, password: string): Promise<void> {
  if (password.length < MIN_PASSWORD) throw validationError({ password: [`At least ${MIN_PASSWORD} characters.`] });
  const user = await deps.users.findByEmail(normalizeEmail(email));
  if (!user) throw new DomainError('validation', `No user ${email}.`, { fields: { email: ['Unknown user.'] } });
  await deps.users.setPassword(user.id, await deps.passwords.hash(password));
}

// scrypt hash of a random throwaway password, in our own format (src/security/passwords.ts).
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
