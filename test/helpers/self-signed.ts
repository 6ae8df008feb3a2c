// A throwaway self-signed certificate (CN=localhost) made with the real openssl, for TLS peers.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export interface CertFiles { key: string; cert: string }

export async function selfSignedCert(): Promise<CertFiles> {
  const dir = mkdtempSync(join(tmpdir(), 'calndro-tls-'));
  const files = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.key,
    '-out', files.cert, '-subj', '/CN=localhost', '-days', '1']);
  return files;
}
