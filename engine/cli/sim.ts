/**
 * `npm run sim -- --scenario FILE [--seed N] [--faults ID,…] [--json]`: command lines on stdin,
 * each printed as the terminal shows it (main.ts; `npm run sim -- --help` says how).
 */
import { main } from './main';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main(process.argv.slice(2), readStdin, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`sim: internal error: ${(e as Error).stack}\n`);
    process.exitCode = 70;
  },
);
