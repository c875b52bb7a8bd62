/**
 * `npm run sim -- --scenario FILE [--seed N] [--faults ID,…] [--json]`: command lines on stdin, one per
 * line; each result printed as the terminal would show it, or with --json one
 * {"command","stdout","stderr","exitCode"} object per line.
 */
import { readFileSync } from 'node:fs';
import { createSimulation, loadOpenApi, ScenarioError } from '../index';

function usage(msg: string): never {
  process.stderr.write(`sim: ${msg}\nusage: npm run sim -- [--scenario FILE] [--seed N] [--faults ID,…] [--json]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const opts: { scenario: string; seed: number; json: boolean; faults?: string[] } = { scenario: '', seed: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--scenario') opts.scenario = value();
    else if (flag === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v)) usage(`--seed must be a non-negative integer, not "${v}"`);
      opts.seed = Number(v);
    } else if (flag === '--faults') {
      // exactly these faults instead of the seed's draw (a scenario with faults:); an empty value: none
      const v = value();
      opts.faults = v === '' ? [] : v.split(',');
    } else if (flag === '--json') opts.json = true;
    else if (flag === '--help' || flag === '-h') usage('help');
    else usage(`unknown option ${a}`);
  }
  return opts;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let text = '';
  if (opts.scenario) {
    try {
      text = readFileSync(opts.scenario, 'utf8');
    } catch (e) {
      usage(`cannot read scenario ${opts.scenario}: ${(e as Error).message}`);
    }
  }
  let sim;
  try {
    sim = createSimulation(text, { seed: opts.seed, ...(opts.faults ? { faults: opts.faults } : {}) });
  } catch (e) {
    if (e instanceof ScenarioError) usage(`${opts.scenario}${e.line ? `:${e.line}` : ''}: ${e.message}`);
    throw e;
  }
  const input = await readStdin();
  await loadOpenApi();
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  // Lines that open a heredoc or a quote are joined with the following ones, as bash reads them.
  let pending = '';
  for (const raw of lines) {
    const line = pending ? `${pending}\n${raw}` : raw;
    if (sim.needsMoreInput(line)) {
      pending = line;
      continue;
    }
    pending = '';
    emit(line);
  }
  if (pending) emit(pending);

  function emit(line: string) {
    const prompt = sim!.prompt();
    const r = sim!.run(line);
    if (opts.json) {
      process.stdout.write(JSON.stringify({ command: line, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }) + '\n');
    } else {
      // continuation lines show bash's PS2 (`> `), as in a terminal
      process.stdout.write(`${prompt}${line.replace(/\n/g, '\n> ')}\n${r.stdout}`);
      process.stderr.write(r.stderr);
    }
  }
}

main().catch((e) => {
  process.stderr.write(`sim: internal error: ${(e as Error).stack}\n`);
  process.exit(70);
});
