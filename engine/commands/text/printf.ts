/** `printf FORMAT [ARGUMENT]...` (bash builtin / coreutils src/printf.c): the format is reused until arguments run out. */
import type { CommandSpec } from '../../shell/command';
import { formatPrintf } from './printf-format';

export const printf: CommandSpec = {
  name: 'printf',
  summary: 'format and print data',
  run(args) {
    const a = args[0] === '--' ? args.slice(1) : args;
    if (a.length === 0) return { stdout: '', stderr: 'bash: printf: usage: printf [-v var] format [arguments]\n', exitCode: 2 };
    const [fmt, ...rest] = a;
    let out = '';
    let err = '';
    let i = 0;
    for (let pass = 0; pass < 10000; pass++) {
      const r = formatPrintf(fmt, rest.slice(i), 'bash: printf');
      out += r.text;
      err += r.errors.map((e) => e + '\n').join('');
      i += r.consumed;
      if (r.stop || r.consumed === 0 || i >= rest.length) break;
    }
    return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
  },
};
