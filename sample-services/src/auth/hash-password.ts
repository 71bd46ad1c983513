// Prints an AUTH_USERS hash for a password read from stdin (not argv: keeps it out of shell
// history and `ps`).   printf %s 'secret' | npm run -s -w sample-services hash-password
import { hashPassword } from './passwords.ts';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const password = Buffer.concat(chunks)
  .toString('utf8')
  .replace(/\r?\n$/, '');
if (password.length === 0) {
  process.stderr.write('hash-password: empty password on stdin\n');
  process.exit(1);
}
process.stdout.write((await hashPassword(password)) + '\n');
