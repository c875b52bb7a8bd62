/** `exit [n]`: leaves the current shell (the terminal pops back to the previous host). */
import type { CommandSpec } from '../../shell/command';

export const exit: CommandSpec = {
  name: 'exit',
  summary: 'exit the shell',
  run(args, ctx) {
    const busybox = ctx.shell.flavour === 'busybox';
    const frame = ctx.shell.frame;
    let code = frame.lastExit;
    let stderr = '';
    if (args.length > 0) {
      const a = args[0];
      if (!/^[-+]?\d+$/.test(a)) {
        if (busybox) return { stdout: '', stderr: `sh: exit: Illegal number: ${a}\n`, exitCode: 2 };
        stderr = `bash: exit: ${a}: numeric argument required\n`;
        code = 2;
      } else if (args.length > 1 && !busybox) {
        return { stdout: '', stderr: 'bash: exit: too many arguments\n', exitCode: 1 };
      } else code = ((Number(a) % 256) + 256) % 256;
    }
    ctx.shell.exit(code);
    return { stdout: '', stderr, exitCode: code };
  },
};
