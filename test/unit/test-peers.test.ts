// The test-peer check of `npm test` (scripts/test-peers.mjs) on a made-up file system: the
// Hardening case (only dovecot-lmtpd missing) and the one list shared with the README.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { installCommand, missingMessage, missingPeers, PEERS } from '../../scripts/test-peers.mjs';

const everythingBut = (absent: string[]) => (path: string) => !absent.includes(path);
const ENV = { PATH: '/usr/bin:/bin', CHROMIUM_PATH: undefined };

describe('missingPeers', () => {
  // BUG (Hardening): with dovecot-lmtpd missing, npm test ran and failed later with an obscure
  // dovecot error about the lmtp service.
  it('names dovecot-lmtpd when only the lmtp service binary is absent', () => {
    const missing = missingPeers(ENV, everythingBut(['/usr/lib/dovecot/lmtp']));
    expect(missing).toEqual([{ what: '/usr/lib/dovecot/lmtp', pkg: 'dovecot-lmtpd' }]);
    const message = missingMessage(missing, true);
    expect(message).toContain('Missing Debian packages: dovecot-lmtpd');
    expect(message).toContain(installCommand(['dovecot-lmtpd']));
    expect(message).toContain('postfix postfix/main_mailer_type select No configuration');
  });

  it('finds dovecot and postfix tools in sbin dirs a non-root PATH lacks', () => {
    const inSbin = (p: string) => p.startsWith('/usr/sbin/') || p.startsWith('/usr/lib/dovecot/') || p === '/usr/bin/chromium';
    expect(missingPeers({ PATH: '' }, inSbin).map((m) => m.pkg)).not.toContain('postfix');
    expect(missingPeers({ PATH: '' }, () => false)).toHaveLength(PEERS.length);
  });

  it('looks for Chromium where the browser tests do (CHROMIUM_PATH, else /usr/bin/chromium)', () => {
    expect(missingPeers(ENV, everythingBut(['/usr/bin/chromium']))).toEqual([{ what: '/usr/bin/chromium', pkg: 'chromium' }]);
    expect(missingPeers({ ...ENV, CHROMIUM_PATH: '/opt/chromium' }, everythingBut(['/usr/bin/chromium']))).toEqual([]);
  });

  it('lists each package once, with sudo for a non-root user', () => {
    const message = missingMessage([{ what: 'smtp-sink', pkg: 'postfix' }, { what: 'smtp-source', pkg: 'postfix' }], false);
    expect(message).toContain('Missing Debian packages: postfix\n');
    expect(message).toContain(`sudo sh -c '${installCommand(['postfix'])}'`);
  });
});

it('the README names every Debian package of the peer list', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Tests'), readme.indexOf('## Configuration'));
  for (const pkg of new Set(PEERS.map((p) => p.pkg))) expect(section).toMatch(new RegExp(`\\b${pkg}\\b`));
});
