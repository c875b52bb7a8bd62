/** `printf FORMAT [ARGUMENT]...` (bash builtin / coreutils src/printf.c): the format is reused until arguments run out. */
import type { CommandSpec } from '../../shell/command';
import { formatPrintf } from './printf-format';

export const printf: CommandSpec = {
  name: 'printf',
  summary: 'format and print data',
  run(args, ctx) {
    const a = args[0] === '--' ? args.slice(1) : args;
    if (a.length === 0) return { stdout: '', stderr: 'bash: printf: usage: printf [-v var] format [arguments]\n', exitCode: 2 };
    const [fmt, ...rest] = a;
    let out = '';
    let err = '';
    let i = 0;
    // a pass consumes at most three arguments a conversion (`%*.*d`): hand it a window, not the whole rest
    const window = (fmt.split('%').length - 1) * 3 + 1;
    for (;;) {
      // one step per pass over the format: the line's budget, not a silent cap, bounds it
      ctx.shell.budget.step();
      const r = formatPrintf(fmt, rest.slice(i, i + window), 'bash: printf');
      out += r.text;
      err += r.errors.map((e) => e + '\n').join('');
      i += r.consumed;
      if (r.stop || r.consumed === 0 || i >= rest.length) break;
    }
    return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
  },
};
