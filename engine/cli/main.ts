/**
 * The `sim` command line (engine/cli/sim.ts runs it on the process's stdin, stdout and
 * stderr; tests call it with strings). Command lines come on stdin, one per line, joined as
 * bash reads a script (an open quote, heredoc, trailing pipe or `\` continues on the next
 * line); each is shown as the terminal shows it: the prompt, the line, then what it wrote,
 * stdout and stderr in the order written (Simulation.runDetailed's chunks).
 *
 * Background jobs live as at the browser terminal (the simulation's `jobControl`): a
 * streaming command started with `&` (`tcpdump -i any -n &`, `kubectl port-forward … &`,
 * `conntrack -E &`) is announced as `[1] PID`, steps after every later line (each line moves
 * the virtual clock a second) and prints what it captured there, with bash's `[1]+  Done`
 * notice when it ends. At the end of the input the shell exits and its jobs get SIGHUP:
 * what they print when stopped (tcpdump's statistics) comes last. The exit status is the
 * last line's, as `bash -s` exits with the status of the last command it ran.
 */
import { readFileSync } from 'node:fs';
import { createSimulation, loadOpenApi, ScenarioError, type Simulation } from '../index';
import type { OutputChunk } from '../types';

export interface SimIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const USAGE = 'usage: npm run sim -- [--scenario FILE] [--seed N] [--faults ID,…] [--json]\n';

export const HELP = `${USAGE}
Runs a simulated cluster and reads command lines on standard input, one per line, as
bash reads a script: a line with an open quote, an open heredoc, a trailing | or a
trailing \\ goes on with the next line.

Each command line is printed as the terminal shows it: the prompt, the line (further
lines after bash's "> "), then what the line wrote, standard output and standard error
in the order it was written (2>&1 shows them interleaved, as a terminal does).

Background jobs: a streaming command started with & (tcpdump -i any -n &,
kubectl port-forward svc/web 8080:80 &, conntrack -E &) keeps running as at the
browser terminal. It is announced as "[1] PID" and takes one step after every later
command line (each line moves the virtual clock by a second), printing what it saw
there; bash's "[1]+  Done" notice follows when it ends. jobs, fg, kill %1 and wait act
on it. At the end of the input the shell exits and its jobs are hung up (SIGHUP): what
they print when stopped (tcpdump's packet counts) comes last.

Options:
  --scenario FILE   the scenario to build (default: the default cluster)
  --seed N          the seed (default 1): same scenario, seed and input, same bytes
  --faults ID,…     exactly these faults instead of the seed's draw (empty: none)
  --json            one {"command","stdout","stderr","exitCode"} object per command
                    line instead; the jobs' last words at the end of the input, if
                    any, as one {"eof":true,"stdout","stderr"} object
  -h, --help        this text

Exit status: the last command line's status, as bash exits at the end of a script;
2 for a bad option or a scenario that does not load.
`;

interface Options {
  scenario: string;
  seed: number;
  json: boolean;
  faults?: string[];
  help?: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options {
  const opts: Options = { scenario: '', seed: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--scenario') opts.scenario = value();
    else if (flag === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError(`--seed must be a non-negative integer, not "${v}"`);
      opts.seed = Number(v);
    } else if (flag === '--faults') {
      const v = value();
      opts.faults = v === '' ? [] : v.split(',');
    } else if (flag === '--json') opts.json = true;
    else if (flag === '--help' || flag === '-h') opts.help = true;
    else throw new UsageError(`unknown option ${a}`);
  }
  return opts;
}

/** The command lines of a script, joined where bash would read on (an open quote, a heredoc, a trailing `|` or `\`). */
export function commandLines(sim: Pick<Simulation, 'needsMoreInput'>, input: string): string[] {
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: string[] = [];
  let pending = '';
  for (const raw of lines) {
    const line = pending ? `${pending}\n${raw}` : raw;
    if (sim.needsMoreInput(line)) {
      pending = line;
      continue;
    }
    pending = '';
    out.push(line);
  }
  // the input ended inside one: the shell reads what it has and reports what is open
  if (pending) out.push(pending);
  return out;
}

/**
 * Runs `sim` with these arguments on `input`, writing to `io`; resolves to the exit status.
 * Throws only on a fault of the engine itself (sim.ts reports it as an internal error).
 */
export async function main(argv: string[], input: string | (() => Promise<string>), io: SimIO): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`sim: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    io.stdout(HELP);
    return 0;
  }
  let text = '';
  if (opts.scenario) {
    try {
      text = readFileSync(opts.scenario, 'utf8');
    } catch (e) {
      io.stderr(`sim: cannot read scenario ${opts.scenario}: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
  }
  let sim: Simulation;
  try {
    sim = createSimulation(text, { seed: opts.seed, jobControl: true, ...(opts.faults ? { faults: opts.faults } : {}) });
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    io.stderr(`sim: ${opts.scenario}${e.line ? `:${e.line}` : ''}: ${e.message}\n${USAGE}`);
    return 2;
  }
  const script = typeof input === 'string' ? input : await input();
  await loadOpenApi();

  const write = (chunks: readonly OutputChunk[]) => {
    for (const c of chunks) (c.stream === 'stdout' ? io.stdout : io.stderr)(c.text);
  };
  let status = 0;
  for (const line of commandLines(sim, script)) {
    const prompt = sim.prompt();
    const r = sim.runDetailed(line);
    status = r.exitCode;
    if (opts.json) io.stdout(JSON.stringify({ command: line, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }) + '\n');
    else {
      // continuation lines show bash's PS2 (`> `), as in a terminal
      io.stdout(`${prompt}${line.replace(/\n/g, '\n> ')}\n`);
      write(r.chunks);
    }
  }

  // end of input: the shell exits; its jobs are hung up and say what they say when stopped
  const last: OutputChunk[] = [];
  for (const job of sim.shell.jobs.list()) {
    if (job.ended) continue;
    const r = sim.shell.jobs.signal(job, 'HUP');
    if (r.stdout) last.push({ stream: 'stdout', text: r.stdout });
    if (r.stderr) last.push({ stream: 'stderr', text: r.stderr });
  }
  if (last.length && opts.json) {
    const joined = (s: OutputChunk['stream']) => last.filter((c) => c.stream === s).map((c) => c.text).join('');
    io.stdout(JSON.stringify({ eof: true, stdout: joined('stdout'), stderr: joined('stderr') }) + '\n');
  } else write(last);
  return status;
}
