// `users add EMAIL [--staff] [--password-stdin]`, `users passwd EMAIL [--password-stdin]` and
// `users revoke-keys EMAIL`.
import { parseArgs } from 'node:util';
import { addUser, changePassword } from '../domain/users.js';
import { revokeAllApiKeys } from '../domain/api-keys.js';
import { DomainError } from '../domain/errors.js';
import { normalizeEmail } from '../domain/emails.js';
import { withAppDeps } from './app-deps.js';
import { obtainPassword } from './password.js';
import { CliError, EXIT_USAGE, describeDomainError } from './errors.js';

export const USERS_USAGE = `calndro users add EMAIL [--staff] [--password-stdin]
calndro users passwd EMAIL [--password-stdin]
calndro users revoke-keys EMAIL`;

const ACTIONS = ['add', 'passwd', 'revoke-keys'];

export async function usersCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { staff: { type: 'boolean' }, 'password-stdin': { type: 'boolean' } },
    allowPositionals: true,
  });
  const [action, email, ...extra] = positionals;
  if (!email || extra.length || !ACTIONS.includes(action!)) {
    throw new CliError(`usage:\n${USERS_USAGE}`, EXIT_USAGE);
  }
  if (action !== 'add' && values.staff) throw new CliError('--staff only applies to "users add".', EXIT_USAGE);
  if (action === 'revoke-keys') {
    if (values['password-stdin']) throw new CliError('--password-stdin does not apply to "users revoke-keys".', EXIT_USAGE);
    return revokeKeys(email);
  }
  const fromStdin = values['password-stdin'] ?? false;

  await withAppDeps(async ({ deps }) => {
    // Checked before asking for a password, so nobody types one twice for nothing.
    const existing = await deps.users.findByEmail(normalizeEmail(email));
    try {
      if (action === 'add') {
        if (existing?.isActive) throw new DomainError('user_exists', `A user ${existing.email} already exists.`);
        const user = await addUser(deps, { email, password: await obtainPassword(fromStdin), staff: values.staff ?? false });
        const was = existing ? ' (was an inactive party, now active)' : '';
        console.log(`Created ${user.isStaff ? 'staff user' : 'user'} ${user.email}${was}.`);
      } else {
        // changePassword alone would leave an inactive party unable to sign in.
        if (!existing?.isActive) throw new CliError(`No active user ${normalizeEmail(email)}; create one with "calndro users add".`);
        await changePassword(deps, email, await obtainPassword(fromStdin));
        console.log(`Password changed for ${existing.email}.`);
      }
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const hint = e.code === 'user_exists' ? `\nTo set a new password: calndro users passwd ${normalizeEmail(email)}` : '';
      throw new CliError(`Cannot ${action === 'add' ? 'add user' : 'change password'}: ${describeDomainError(e)}${hint}`);
    }
  });
}

async function revokeKeys(email: string): Promise<void> {
  await withAppDeps(async ({ deps }) => {
    const user = await deps.users.findByEmail(normalizeEmail(email));
    if (!user) throw new CliError(`No user ${normalizeEmail(email)}.`);
    const n = await revokeAllApiKeys(deps, user);
    console.log(`Revoked ${n} API key${n === 1 ? '' : 's'} of ${user.email}.`);
  });
}
