/**
 * `timeout DURATION COMMAND…` (coreutils src/timeout.c): runs COMMAND; if it is still
 * running after DURATION (virtual time), it is stopped and timeout exits 124.
 */
import type { RunResult } from '../../types';
import type { CommandSpec } from '../../shell/command';
import { isEditRequest, isStreaming } from '../../types';

const UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

export const timeout: CommandSpec = {
  name: 'timeout',
  summary: 'run a command with a time limit',
  run(args, ctx): RunResult {
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
    const m = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(dur);
    if (!m) return { stdout: '', stderr: `timeout: invalid time interval '${dur}'\nTry 'timeout --help' for more information.\n`, exitCode: 125 };
    const limitMs = Number(m[1]) * UNIT[m[2]] * 1000;
    const spec = ctx.shell.lookup(cmd[0]);
    if (!spec) return { stdout: '', stderr: `timeout: failed to run command '${cmd[0]}': No such file or directory\n`, exitCode: 127 };
    const outcome = spec.run(cmd.slice(1), { ...ctx, name: cmd[0] });
    if (isEditRequest(outcome)) return outcome.finish(null);
    if (!isStreaming(outcome)) return outcome;
    let stdout = outcome.stdout;
    let stderr = outcome.stderr;
    let elapsed = 0;
    const interval = outcome.intervalMs > 0 ? outcome.intervalMs : 1000;
    for (let k = 0; k < 100000 && elapsed + interval <= limitMs; k++) {
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
