/**
 * `timeout DURATION COMMAND…` (coreutils src/timeout.c): runs COMMAND; if it is still
 * running after DURATION (virtual time), it is stopped and timeout exits 124. DURATION is
 * read by parse_duration (delay.ts): `inf` and overflowing values are accepted, as a
 * timer that never fires; a streaming COMMAND under a limit too long to play out at once
 * keeps streaming, so Ctrl+C ends it and the clock never jumps.
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
    while (i < args.length && args[i].startsWith('-')) {
      if (args[i] === '-s' || args[i] === '-k' || args[i] === '--signal' || args[i] === '--kill-after') i += 2;
      else if (args[i] === '--preserve-status' || args[i] === '--foreground' || args[i] === '-v' || args[i] === '--verbose') i++;
      else if (args[i] === '--') {
        i++;
        break;
      } else return { stdout: '', stderr: `timeout: invalid option -- '${args[i].slice(1, 2)}'\nTry 'timeout --help' for more information.\n`, exitCode: 125 };
    }
    const dur = args[i];
    const cmd = args.slice(i + 1);
    if (dur === undefined || cmd.length === 0) return { stdout: '', stderr: "timeout: missing operand\nTry 'timeout --help' for more information.\n", exitCode: 125 };
    const secs = parseDuration(dur);
    if (secs === null) return { stdout: '', stderr: `timeout: invalid time interval '${dur}'\nTry 'timeout --help' for more information.\n`, exitCode: 125 };
    const limitMs = secs * 1000;
    const spec = ctx.shell.lookup(cmd[0]);
    if (!spec) return { stdout: '', stderr: `timeout: failed to run command '${cmd[0]}': No such file or directory\n`, exitCode: 127 };
    const outcome = spec.run(cmd.slice(1), { ...ctx, name: cmd[0] });
    if (isEditRequest(outcome)) return outcome.finish(null);
    if (!isStreaming(outcome)) return outcome;
    let stdout = outcome.stdout;
    let stderr = outcome.stderr;
    let elapsed = 0;
    const interval = outcome.intervalMs > 0 ? outcome.intervalMs : 1000;
    if (limitMs / interval > MAX_SYNC_STEPS) return underLimit(outcome, interval, limitMs);
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
    return { stdout, stderr, exitCode: 124 };
  },
};

/** A streaming command under a long limit: streams on, and is stopped (124) once the limit passes. */
function underLimit(s: Streaming, interval: number, limitMs: number): Streaming {
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
      return { stdout: r.stdout, stderr: r.stderr, done: true, exitCode: 124 };
    },
    // SIGINT reaches the command too (timeout runs it in the foreground process group)
    interrupt: () => s.interrupt(),
  };
}
