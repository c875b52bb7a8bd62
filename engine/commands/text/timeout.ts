/**
 * `timeout DURATION COMMAND…` (coreutils src/timeout.c): runs COMMAND; if it is still
 * running after DURATION (virtual time), it is stopped and timeout exits 124. DURATION is
 * read by parse_duration (delay.ts): `inf` and overflowing values are accepted, as a
 * timer that never fires; a streaming COMMAND under a limit too long to play out at once
 * keeps streaming, so Ctrl+C ends it and the clock never jumps. A command that waits
 * (sleep, or a script of them through sh -c) gets ctx.deadline: the wait stops at the
 * limit and timeout reports the signal.
 */
import type { CommandOutcome, Streaming } from '../../types';
import type { CommandSpec } from '../../shell/command';
import { isEditRequest, isStreaming } from '../../types';
import { parseDuration } from './delay';

/** Steps of a streaming command that `timeout` plays out at once; a longer limit streams. */
const MAX_SYNC_STEPS = 3600;

export const timeout: CommandSpec = {
  name: 'timeout',
  summary: 'run a command with a time limit',
  run(args, ctx): CommandOutcome {
    let i = 0;
    let signal = 15;
    let preserve = false;
    while (i < args.length && args[i].startsWith('-')) {
      const a = args[i];
      if (a === '-s' || a === '--signal' || a.startsWith('--signal=') || (a.startsWith('-s') && a.length > 2)) {
        const name = a === '-s' || a === '--signal' ? args[i + 1] : a.startsWith('--signal=') ? a.slice(9) : a.slice(2);
        const n = signalNumber(name ?? '');
        if (n === null) return { stdout: '', stderr: `timeout: ${name ?? ''}: invalid signal\nTry 'timeout --help' for more information.\n`, exitCode: 125 };
        signal = n;
        i += a === '-s' || a === '--signal' ? 2 : 1;
      } else if (a === '-k' || a === '--kill-after') i += 2;
      else if (a === '--preserve-status') {
        preserve = true;
        i++;
      } else if (a === '--foreground' || a === '-v' || a === '--verbose') i++;
      else if (a === '--') {
        i++;
        break;
      } else return { stdout: '', stderr: `timeout: invalid option -- '${args[i].slice(1, 2)}'\nTry 'timeout --help' for more information.\n`, exitCode: 125 };
    }
    const dur = args[i];
    const cmd = args.slice(i + 1);
    if (dur === undefined || cmd.length === 0) return { stdout: '', stderr: "timeout: missing operand\nTry 'timeout --help' for more information.\n", exitCode: 125 };
    const secs = parseDuration(dur);
    if (secs === null) return { stdout: '', stderr: `timeout: invalid time interval '${dur}'\nTry 'timeout --help' for more information.\n`, exitCode: 125 };
    // a duration of 0 disables the timeout (timeout(1))
    const limitMs = secs === 0 ? Infinity : secs * 1000;
    const spec = ctx.shell.lookup(cmd[0]);
    if (!spec) return { stdout: '', stderr: `timeout: failed to run command '${cmd[0]}': No such file or directory\n`, exitCode: 127 };
    // timeout.c: 124 once the limit passed, 128+signal with --preserve-status; with KILL,
    // which timeout cannot catch either, it dies with the command: 128+9
    const killed = signal === 9 ? 137 : preserve ? 128 + signal : 124;
    const start = ctx.cluster.clock.now();
    const outer = ctx.deadline;
    // a wait ending just as the signal comes loses the race (delay.ts)
    const deadline = Number.isFinite(limitMs) ? { at: Math.min(start + limitMs, outer?.at ?? Infinity), hit: false } : outer && { at: outer.at, hit: false };
    const outcome = spec.run(cmd.slice(1), { ...ctx, name: cmd[0], deadline });
    if (deadline?.hit && outer && deadline.at === outer.at) outer.hit = true;
    if (isEditRequest(outcome)) return outcome.finish(null);
    if (!isStreaming(outcome)) {
      if (deadline?.hit && (!outer || deadline.at < outer.at)) return { ...outcome, exitCode: killed };
      return outcome;
    }
    let stdout = outcome.stdout;
    let stderr = outcome.stderr;
    let elapsed = 0;
    const interval = outcome.intervalMs > 0 ? outcome.intervalMs : 1000;
    if (limitMs / interval > MAX_SYNC_STEPS) return underLimit(outcome, interval, limitMs, killed);
    for (let k = 0; k < MAX_SYNC_STEPS && elapsed + interval <= limitMs; k++) {
      ctx.cluster.advance(interval);
      elapsed += interval;
      const r = outcome.step();
      stdout += r.stdout ?? '';
      stderr += r.stderr ?? '';
      if (r.done) return { stdout, stderr, exitCode: r.exitCode ?? 0 };
    }
    if (limitMs > elapsed) ctx.cluster.advance(limitMs - elapsed);
    // SIGTERM: the command dies without its Ctrl+C summary
    return { stdout, stderr, exitCode: killed };
  },
};

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, CONT: 18, STOP: 19 };

/** coreutils operand2sig: a number, or a name with or without SIG, any case. */
function signalNumber(name: string): number | null {
  if (/^\d+$/.test(name)) return Number(name) <= 64 ? Number(name) : null;
  const n = SIGNALS[name.toUpperCase().replace(/^SIG/, '')];
  return n ?? null;
}

/** A streaming command under a long limit: streams on, and is stopped (124) once the limit passes. */
function underLimit(s: Streaming, interval: number, limitMs: number, killed: number): Streaming {
  let elapsed = 0;
  return {
    streaming: true,
    stdout: s.stdout,
    stderr: s.stderr,
    intervalMs: interval,
    step() {
      elapsed += interval;
      const r = s.step();
      if (r.done || elapsed + interval <= limitMs) return r;
      // SIGTERM: the command dies without its Ctrl+C summary
      return { stdout: r.stdout, stderr: r.stderr, done: true, exitCode: killed };
    },
    // SIGINT reaches the command too (timeout runs it in the foreground process group)
    interrupt: () => s.interrupt(),
  };
}
