/**
 * `sleep NUMBER[SUFFIX]...` (coreutils src/sleep.c): moves the virtual clock. Durations are
 * read as coreutils reads them (`inf`, `1e400`, `0x10`, `1.5m`; see delay.ts); the
 * operands add up, and a wait longer than a year streams until Ctrl+C instead of jumping.
 */
import type { CommandSpec } from '../../shell/command';
import { delay, parseDuration } from './delay';

export const sleep: CommandSpec = {
  name: 'sleep',
  summary: 'delay for a specified amount of time',
  run(args, ctx) {
    const ops = args[0] === '--' ? args.slice(1) : args;
    if (ops.length === 0) return { stdout: '', stderr: "sleep: missing operand\nTry 'sleep --help' for more information.\n", exitCode: 1 };
    let total = 0;
    for (const a of ops) {
      const secs = parseDuration(a);
      if (secs === null) {
        if (/^-./.test(a) && !/^-\d/.test(a)) return { stdout: '', stderr: `sleep: invalid option -- '${a[1]}'\nTry 'sleep --help' for more information.\n`, exitCode: 1 };
        return { stdout: '', stderr: `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`, exitCode: 1 };
      }
      total += secs;
    }
    return delay(ctx, total * 1000, () => ({ stdout: '', stderr: '', exitCode: 0 }));
  },
};
