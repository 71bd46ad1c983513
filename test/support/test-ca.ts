// A throwaway PKI for tests of TLS clients: a CA and a server certificate it signs for
// 127.0.0.1 and localhost, made with the openssl CLI (node:crypto verifies X.509 but cannot
// issue it; openssl is on every machine image and test/cluster makes its PKI the same way).
// EC P-256 keys: milliseconds to generate. Nothing is kept: the files live in a temp folder
// that is removed before returning.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestPki {
  /** PEM of the CA that signed `cert`. */
  ca: string;
  /** PEM server certificate for 127.0.0.1 and localhost, and its key. */
  cert: string;
  key: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A new CA and a server certificate it signed (fails loudly when openssl is missing). */
export function makeTestPki(commonName = 'bluegreen-test-ca'): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'bluegreen-pki-'));
  try {
    openssl(dir, [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
    ]);
    openssl(dir, ['req', '-new', ...EC, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
    writeFileSync(
      path.join(dir, 'server.ext'),
      'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
    );
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      'server.ext',
      '-out',
      'server.crt',
    ]);
    const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
    return { ca: read('ca.crt'), cert: read('server.crt'), key: read('server.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
