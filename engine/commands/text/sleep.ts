/** `sleep NUMBER[SUFFIX]...` (coreutils src/sleep.c): moves the virtual clock. */
import type { CommandSpec } from '../../shell/command';

const UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

export const sleep: CommandSpec = {
  name: 'sleep',
  summary: 'delay for a specified amount of time',
  run(args, ctx) {
    const ops = args[0] === '--' ? args.slice(1) : args;
    if (ops.length === 0) return { stdout: '', stderr: "sleep: missing operand\nTry 'sleep --help' for more information.\n", exitCode: 1 };
    let total = 0;
    for (const a of ops) {
      const m = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(a);
      if (!m) {
        if (/^-./.test(a) && !/^-\d/.test(a)) return { stdout: '', stderr: `sleep: invalid option -- '${a[1]}'\nTry 'sleep --help' for more information.\n`, exitCode: 1 };
        return { stdout: '', stderr: `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`, exitCode: 1 };
      }
      total += Number(m[1]) * UNIT[m[2]];
    }
    // A learner's `sleep 100000` should not stall anything: time is virtual.
    ctx.cluster.advance(Math.round(Math.min(total, 365 * 86400) * 1000));
    return { stdout: '', stderr: '', exitCode: 0 };
  },
};
