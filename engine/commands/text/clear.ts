/** `clear`: tells the terminal to clear (the `clear` event) and prints ncurses' clear sequence for xterm. */
import type { CommandSpec } from '../../shell/command';

export const CLEAR_SEQUENCE = '\x1b[H\x1b[2J\x1b[3J';

export const clear: CommandSpec = {
  name: 'clear',
  summary: 'clear the terminal screen',
  run(_args, ctx) {
    ctx.emit({ type: 'clear' });
    return { stdout: CLEAR_SEQUENCE, stderr: '', exitCode: 0 };
  },
};
