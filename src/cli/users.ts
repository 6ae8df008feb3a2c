// `users add EMAIL [--staff] [--password-stdin]` and `users passwd EMAIL [--password-stdin]`.
import { parseArgs } from 'node:util';
import { addUser, changePassword } from '../domain/users.js';
import { DomainError } from '../domain/errors.js';
import { normalizeEmail } from '../domain/emails.js';
import { withAppDeps } from './app-deps.js';
import { obtainPassword } from './password.js';
import { CliError, EXIT_USAGE, describeDomainError } from './errors.js';

export const USERS_USAGE = `calndro users add EMAIL [--staff] [--password-stdin]
calndro users passwd EMAIL [--password-stdin]`;

export async function usersCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { staff: { type: 'boolean' }, 'password-stdin': { type: 'boolean' } },
    allowPositionals: true,
  });
  const [action, email, ...extra] = positionals;
  if (!email || extra.length || (action !== 'add' && action !== 'passwd')) {
    throw new CliError(`usage:\n${USERS_USAGE}`, EXIT_USAGE);
  }
  if (action === 'passwd' && values.staff) throw new CliError('--staff only applies to "users add".', EXIT_USAGE);
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
