import type { CommandSpec } from '../../shell/command';

export const pwd: CommandSpec = {
  name: 'pwd',
  summary: 'print name of current/working directory',
  run(args, ctx) {
    const bad = args.find((a) => /^-./.test(a) && a !== '-L' && a !== '-P' && a !== '--');
    if (bad) {
      const sh = ctx.shell.flavour === 'busybox' ? 'sh' : 'bash';
      return { stdout: '', stderr: `${sh}: pwd: ${bad.slice(0, 2)}: invalid option\npwd: usage: pwd [-LP]\n`, exitCode: 2 };
    }
    return { stdout: ctx.cwd + '\n', stderr: '', exitCode: 0 };
  },
};
