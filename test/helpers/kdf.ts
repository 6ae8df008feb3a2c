// Counts password KDF runs of a running test server: wraps its real hasher's verify, so every
// scrypt derivation still happens; a check refused before deriving (a full queue) is not counted.
import type { TestServer } from './server.js';

export function countKdfRuns(t: TestServer): { runs: () => number; restore: () => void } {
  const passwords = t.server.appDeps.deps.passwords;
  const verify = passwords.verify;
  let runs = 0;
  passwords.verify = async (password, stored) => {
    const ok = await verify(password, stored);
    runs++;
    return ok;
  };
  return { runs: () => runs, restore: () => { passwords.verify = verify; } };
}
