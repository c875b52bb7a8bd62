/**
 * `watch [-n SECS] [-t] COMMAND` (procps-ng watch.c): runs COMMAND every SECS seconds
 * (default 2), clearing the screen and printing a header "Every 2.0s: CMD" with
 * "HOST: DATE" on the right of an 80-column line. Stops on Ctrl+C.
 */
import type { RunResult, Streaming } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { hostName } from '../../hosts/hosts';
import { shellQuote } from '../../shell/shell';
import { strftime } from './date';

const CLEAR = '\x1b[H\x1b[2J';

export const watch: CommandSpec = {
  name: 'watch',
  summary: 'execute a program periodically, showing output fullscreen',
  run(args, ctx): RunResult | Streaming {
    let interval = 2;
    let title = true;
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '-n' || a === '--interval') {
        const v = args[++i];
        if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) return { stdout: '', stderr: `watch: failed to parse argument: '${v ?? ''}'\n`, exitCode: 1 };
        interval = Math.max(0.1, Number(v));
      } else if (/^-n\d/.test(a)) interval = Math.max(0.1, Number(a.slice(2)) || 2);
      else if (a === '-t' || a === '--no-title') title = false;
      else if (a === '--') {
        i++;
        break;
      } else if (a.startsWith('-')) return { stdout: '', stderr: `watch: invalid option -- '${a[1]}'\n\nUsage:\n watch [options] command\n`, exitCode: 1 };
      else break;
    }
    const cmd = args.slice(i);
    if (cmd.length === 0) return { stdout: '', stderr: '\nUsage:\n watch [options] command\n', exitCode: 1 };
    const line = cmd.length === 1 ? cmd[0] : cmd.map(shellQuote).join(' ');
    const screen = (c: CommandContext): string => {
      const r = c.shell.runIn(c.host, line);
      let head = '';
      if (title) {
        const left = `Every ${interval.toFixed(1)}s: ${line}`;
        const right = `${hostName(c.cluster, c.host)}: ${strftime('%a %b %e %H:%M:%S %Y', c.cluster.clock.now())}`;
        const gap = Math.max(1, c.shell.columns - left.length - right.length);
        head = left + ' '.repeat(gap) + right + '\n\n';
      }
      return CLEAR + head + r.stdout + r.stderr;
    };
    return {
      streaming: true,
      stdout: screen(ctx),
      stderr: '',
      intervalMs: interval * 1000,
      step: () => ({ stdout: screen(ctx) }),
      interrupt: () => ({ exitCode: 0 }),
    };
  },
};
