// The programs `npm test` drives as real peers, and the Debian package of each: one list for
// scripts/test.mjs (checked before any test runs) and .ci/run (installs what is missing).
//   node scripts/test-peers.mjs                    → exit 1 with the message below if any is missing
//   node scripts/test-peers.mjs --install-command  → the shell command installing the missing ones ('' if none)
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `bin`: looked up on PATH and the sbin dirs; `file`: a fixed path (dovecot's service binaries). */
export const PEERS = [
  { bin: 'dovecot', pkg: 'dovecot-core' },
  { bin: 'doveadm', pkg: 'dovecot-core' },
  // The imap and lmtp services are packages apart from dovecot-core; the test config needs both.
  { file: '/usr/lib/dovecot/imap', pkg: 'dovecot-imapd' },
  { file: '/usr/lib/dovecot/lmtp', pkg: 'dovecot-lmtpd' },
  { bin: 'smtp-sink', pkg: 'postfix' },
  { bin: 'smtp-source', pkg: 'postfix' },
  { bin: 'swaks', pkg: 'swaks' },
  { bin: 'http', pkg: 'httpie' },
  { bin: 'jq', pkg: 'jq' },
  { bin: 'tmux', pkg: 'tmux' },
  { bin: 'openssl', pkg: 'openssl' },
  { file: 'CHROMIUM', pkg: 'chromium' },
];

// dovecot and postfix's tools live in sbin dirs that a non-root PATH lacks.
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];
// postfix asks for a mailer type otherwise; "No configuration" also keeps it from starting a system MTA.
const DEBCONF = 'echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections';

const executable = (p) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The peers not found, as `{ what, pkg }`; `exists` is replaceable for tests. */
export function missingPeers(env = process.env, exists = executable) {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN];
  return PEERS.flatMap((peer) => {
    if (peer.bin) return dirs.some((d) => exists(join(d, peer.bin))) ? [] : [{ what: peer.bin, pkg: peer.pkg }];
    const file = peer.file === 'CHROMIUM' ? env.CHROMIUM_PATH ?? '/usr/bin/chromium' : peer.file;
    return exists(file) ? [] : [{ what: file, pkg: peer.pkg }];
  });
}

/** The one command (as root) that installs `packages`. */
export function installCommand(packages) {
  return `${DEBCONF} && apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

/** What a person reads when peers are missing: every package, and the command. */
export function missingMessage(missing, root = process.getuid?.() === 0) {
  const packages = [...new Set(missing.map((m) => m.pkg))];
  const command = installCommand(packages);
  return [
    `npm test needs test peers that are missing here: ${missing.map((m) => `${m.what} (${m.pkg})`).join(', ')}.`,
    `Missing Debian packages: ${packages.join(' ')}`,
    'Install them with:',
    `  ${root ? command : `sudo sh -c '${command}'`}`,
    '(`bash .ci/run` installs them too, then runs the tests.)',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const missing = missingPeers();
  if (process.argv.includes('--install-command')) {
    if (missing.length) console.log(installCommand([...new Set(missing.map((m) => m.pkg))]));
  } else if (missing.length) {
    console.error(missingMessage(missing));
    process.exit(1);
  }
}
