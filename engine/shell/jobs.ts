/**
 * bash's job table, for the one kind of background job that outlives its command line here:
 * a streaming command (`tcpdump -i any -n port 80 &`, `ping web &`) started with `&` at an
 * interactive terminal. Everything else still runs to its end when the line runs (there is
 * no concurrency in the engine), which is what a learner sees of a short job anyway.
 *
 * A job keeps streaming between command lines: after each line the shell steps every
 * running job once (the line moved the clock) and prints what it wrote, then bash's
 * notifications of the jobs that ended (`[1]+  Done                    tcpdump -c 5`).
 * `jobs`, `fg`, `kill %N` and `wait` (commands/text/jobs.ts) act on it. Formats after bash's
 * jobs.c (pretty_print_job: `[%d]%c  %-22s  %s`, the status words of its signal table:
 * Done, Terminated, Interrupt, Killed, `Exit N`).
 *
 * Any other command line run with `&` (`kubectl port-forward svc/web 80 &` failing on its
 * bind, `sleep 1 &`) has ended by the time its line is over; it is in the table all the same,
 * as a dead job bash has not yet told of: the child was still starting when bash showed the
 * next prompt, so its notice (`[1]+  Exit 1                  kubectl port-forward svc/web 80`)
 * comes at the prompt after the next line (notify_and_cleanup), and `jobs` lists it until then
 * — listing marks it notified (pretty_print_job sets J_NOTIFIED), so no notice follows.
 */
import type { Streaming } from '../types';
import type { AndOr, Command, List, Pipeline, Redirect } from './parser';
import type { CondExpr } from './cond';

export interface Job {
  id: number;
  pid: number;
  /** The command as typed, without the `&`. */
  text: string;
  stream: Streaming;
  /** How deep the host stack was when it started: leaving that shell hangs it up. */
  depth: number;
  /** Set once it ended: bash's status word and the exit status. */
  ended?: { status: string; code: number };
  /** Ended on the line that started it: bash tells of it at the prompt after the next line. */
  fresh?: boolean;
}

/** What stands for the process of a job that already ended (nothing is left to step or signal). */
const GONE: Streaming = { streaming: true, stdout: '', stderr: '', intervalMs: 1000, step: () => ({ done: true }), interrupt: () => ({ exitCode: 0 }) };

/** bash's word for a status: `Done`, `Exit N` (jobs.c printable_job_status). */
export function exitStatusWord(code: number): string {
  return code === 0 ? 'Done' : `Exit ${code}`;
}

export type Signal = 'TERM' | 'INT' | 'KILL' | 'HUP';

const STATUS: Record<Signal, string> = { TERM: 'Terminated', INT: 'Interrupt', KILL: 'Killed', HUP: 'Hangup' };

export class JobTable {
  private jobs: Job[] = [];

  /** The id the next job gets: one more than the highest running (bash reuses freed numbers from the top). */
  nextId(): number {
    return this.jobs.reduce((m, j) => Math.max(m, j.id), 0) + 1;
  }

  add(job: Omit<Job, 'id'> & { id?: number }): Job {
    const j: Job = { ...job, id: job.id ?? this.nextId() };
    this.jobs.push(j);
    return j;
  }

  list(): Job[] {
    return [...this.jobs];
  }

  /** A job that ran to its end on the line that started it (see above). */
  addEnded(job: { id: number; pid: number }, text: string, code: number, depth: number): Job {
    return this.add({ ...job, text, stream: GONE, depth, ended: { status: exitStatusWord(code), code }, fresh: true });
  }

  /** `jobs` told of these dead jobs (J_NOTIFIED): they leave the table without a notice. */
  notified(jobs: Job[]): void {
    this.jobs = this.jobs.filter((j) => !(j.ended && jobs.includes(j)));
  }

  /** The prompt is shown: a job that ended on its own line is told of at the next one. */
  settle(): void {
    for (const j of this.jobs) delete j.fresh;
  }

  /** `%N`, `%%`/`%+` (the current job: the newest), `%-` (the one before), `%string` (a prefix of the command), or a PID. */
  find(spec: string | undefined): Job | undefined {
    const live = this.jobs;
    if (spec === undefined || spec === '%%' || spec === '%+' || spec === '%') return live[live.length - 1];
    if (spec === '%-') return live[live.length - 2];
    if (/^%\d+$/.test(spec)) return live.find((j) => j.id === Number(spec.slice(1)));
    if (spec.startsWith('%')) return live.find((j) => j.text.startsWith(spec.slice(1)));
    if (/^\d+$/.test(spec)) return live.find((j) => j.pid === Number(spec));
    return undefined;
  }

  /** Takes a job out of the table (fg brings it to the foreground). */
  remove(job: Job): void {
    this.jobs = this.jobs.filter((j) => j !== job);
  }

  /** `+` for the current job, `-` for the previous, a space otherwise. */
  mark(job: Job): string {
    const i = this.jobs.indexOf(job);
    if (i === this.jobs.length - 1) return '+';
    if (i === this.jobs.length - 2) return '-';
    return ' ';
  }

  /** One line of `jobs` or of a notification. */
  line(job: Job, status: string, suffix = ''): string {
    return `[${job.id}]${this.mark(job)}  ${status.padEnd(22)}  ${job.text}${suffix}\n`;
  }

  /** Sends a signal: the job prints what it prints when stopped (its interrupt), KILL prints nothing. */
  signal(job: Job, sig: Signal): { stdout: string; stderr: string } {
    if (job.ended) return { stdout: '', stderr: '' };
    let stdout = '';
    let stderr = '';
    let exited: number | undefined;
    try {
      // the program stops (and lets go of what it holds); SIGKILL gives it no chance to print,
      // nor SIGHUP one that does not catch it (no Streaming.hangup, and interrupt says not `exited`)
      const r: { stdout?: string; stderr?: string; exited?: boolean; exitCode?: number } = sig === 'HUP' && job.stream.hangup ? job.stream.hangup() : job.stream.interrupt(sig);
      if (sig !== 'KILL' && (sig !== 'HUP' || job.stream.hangup || r.exited)) {
        stdout = r.stdout ?? '';
        stderr = r.stderr ?? '';
        // a program that catches the signal and exits by itself (iperf3, socat) ends as `Exit N`
        if (r.exited) exited = r.exitCode;
      }
    } catch {
      // a job that fails while stopping is stopped all the same
    }
    job.ended = exited !== undefined ? { status: exited === 0 ? 'Done' : `Exit ${exited}`, code: exited } : { status: STATUS[sig], code: 128 + { TERM: 15, INT: 2, KILL: 9, HUP: 1 }[sig] };
    return { stdout, stderr };
  }

  /** One step of every running job (after a command line); what they wrote, then the notifications of those that ended. */
  stepAll(): { stdout: string; stderr: string } {
    let stdout = '';
    let stderr = '';
    for (const j of this.jobs) {
      if (j.ended) continue;
      let r: ReturnType<Streaming['step']>;
      try {
        r = j.stream.step();
      } catch (e) {
        r = { stderr: `${(e as Error)?.message ?? e}\n`, done: true, exitCode: 1 };
      }
      stdout += r.stdout ?? '';
      stderr += r.stderr ?? '';
      if (r.done) j.ended = { status: exitStatusWord(r.exitCode ?? 0), code: r.exitCode ?? 0 };
    }
    return { stdout, stderr: stderr + this.reap() };
  }

  /** bash's notifications of the jobs that ended since the last prompt; they leave the table. */
  reap(): string {
    let out = '';
    for (const j of this.jobs) if (j.ended && !j.fresh) out += this.line(j, j.ended.status);
    this.jobs = this.jobs.filter((j) => !j.ended || j.fresh);
    return out;
  }

  /** Leaving a shell hangs up the jobs it started (SIGHUP); nothing is printed on a terminal that is gone. */
  hangUp(depth: number): void {
    for (const j of this.jobs) if (j.depth >= depth && !j.ended) this.signal(j, 'HUP');
    this.jobs = this.jobs.filter((j) => j.depth < depth);
  }
}

/**
 * The text bash keeps for a job: make_command_string of what runs in it (print_cmd.c):
 * assignments, words as typed, redirections as `N> target` / `< target`, ` | ` between the
 * commands of a pipeline, ` && ` / ` || ` between pipelines; a compound command in its
 * one-line form (`{ …; }`, `( … )`, `for x in …; do …; done`, `while …; do …; done`, `if …;
 * then …; fi`, `case W in P) …;; esac`, `[[ … ]]`; a function definition by its name and `()`).
 */
export function jobText(node: AndOr): string {
  const redir = (r: Redirect): string => {
    if (r.heredoc) return `${r.fd !== null ? r.fd : ''}${r.op} ${r.heredoc.delimiter}`;
    return `${r.fd !== null ? r.fd : ''}${r.op} ${r.target}`;
  };
  const list = (l: List): string =>
    l.items.map((it, i) => andor(it.node) + (it.background ? ' &' : i < l.items.length - 1 ? ';' : '')).join(' ');
  const withRedirs = (text: string, rs: Redirect[]): string => [text, ...rs.map(redir)].join(' ');
  const command = (c: Command): string => {
    switch (c.type) {
      case 'simple':
        return [...c.assigns.map((a) => a.raw), ...c.words, ...c.redirects.map(redir)].join(' ');
      case 'group':
        return withRedirs(`{ ${list(c.body)}; }`, c.redirects);
      case 'subshell':
        return withRedirs(`( ${list(c.body)} )`, c.redirects);
      case 'for':
        return withRedirs(`for ${c.name}${c.items ? ` in ${c.items.join(' ')}` : ''}; do ${list(c.body)}; done`, c.redirects);
      case 'while':
      case 'until':
        return withRedirs(`${c.type} ${list(c.cond)}; do ${list(c.body)}; done`, c.redirects);
      case 'if':
        return withRedirs(
          c.clauses.map((cl, i) => `${i === 0 ? 'if' : 'elif'} ${list(cl.cond)}; then ${list(cl.body)};`).join(' ') + (c.otherwise ? ` else ${list(c.otherwise)};` : '') + ' fi',
          c.redirects,
        );
      case 'case':
        return withRedirs(`case ${c.word} in ${c.clauses.map((cl) => `${cl.patterns.join(' | ')}) ${list(cl.body)};;`).join(' ')} esac`, c.redirects);
      case 'function':
        return `${c.name} ()`;
      case 'cond':
        return withRedirs(`[[ ${cond(c.expr)} ]]`, c.redirects);
    }
  };
  const cond = (e: CondExpr): string => {
    switch (e.k) {
      case 'and':
        return `${cond(e.a)} && ${cond(e.b)}`;
      case 'or':
        return `${cond(e.a)} || ${cond(e.b)}`;
      case 'not':
        return `! ${cond(e.e)}`;
      case 'unary':
        return `${e.op} ${e.arg}`;
      case 'binary':
        return `${e.l} ${e.op} ${e.r}`;
      case 'word':
        return e.w;
    }
  };
  const pipeline = (p: Pipeline): string => (p.negate ? '! ' : '') + p.commands.map(command).join(' | ');
  const andor = (a: AndOr): string => [pipeline(a.first), ...a.rest.map((r) => `${r.op} ${pipeline(r.pipeline)}`)].join(' ');
  return andor(node);
}
