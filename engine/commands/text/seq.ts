/** `seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST` (coreutils src/seq.c). */
import type { CommandSpec } from '../../shell/command';

export const seq: CommandSpec = {
  name: 'seq',
  summary: 'print a sequence of numbers',
  run(args, ctx) {
    let sep = '\n';
    let equal = false;
    const nums: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-s') {
        if (i + 1 >= args.length) return { stdout: '', stderr: "seq: option requires an argument -- 's'\nTry 'seq --help' for more information.\n", exitCode: 1 };
        sep = args[++i];
      } else if (a.startsWith('-s') && a.length > 2) sep = a.slice(2);
      else if (a === '-w' || a === '--equal-width') equal = true;
      else if (/^-[^\d.]/.test(a)) return { stdout: '', stderr: `seq: invalid option -- '${a[1]}'\nTry 'seq --help' for more information.\n`, exitCode: 1 };
      else nums.push(a);
    }
    if (nums.length === 0) return { stdout: '', stderr: "seq: missing operand\nTry 'seq --help' for more information.\n", exitCode: 1 };
    if (nums.length > 3) return { stdout: '', stderr: `seq: extra operand '${nums[3]}'\nTry 'seq --help' for more information.\n`, exitCode: 1 };
    for (const n of nums) {
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(n)) return { stdout: '', stderr: `seq: invalid floating point argument: '${n}'\nTry 'seq --help' for more information.\n`, exitCode: 1 };
    }
    const [first, inc, last] = nums.length === 1 ? ['1', '1', nums[0]] : nums.length === 2 ? [nums[0], '1', nums[1]] : nums;
    const f = Number(first), s = Number(inc), l = Number(last);
    if (s === 0) return { stdout: '', stderr: `seq: invalid Zero increment value: '${inc}'\nTry 'seq --help' for more information.\n`, exitCode: 1 };
    const decimals = Math.max(...[first, inc].map((x) => (x.includes('.') ? x.length - x.indexOf('.') - 1 : 0)));
    const out: string[] = [];
    const budget = ctx.shell.budget;
    for (let k = 0; ; k++) {
      // one step per number: `seq 1000000000` stops the line (budget.ts), it is not cut short silently
      budget.step();
      const v = f + k * s;
      if (s > 0 ? v > l + 1e-9 : v < l - 1e-9) break;
      out.push(v.toFixed(decimals));
    }
    if (equal) {
      const w = Math.max(...out.map((x) => x.length));
      for (let k = 0; k < out.length; k++) out[k] = out[k].startsWith('-') ? '-' + out[k].slice(1).padStart(w - 1, '0') : out[k].padStart(w, '0');
    }
    return { stdout: out.length ? out.join(sep) + '\n' : '', stderr: '', exitCode: 0 };
  },
};
