/**
 * Commands the course adds to the workstation: `answer TASK VALUE` records the answer
 * to a question task (the task panel's answer box does the same).
 */
import type { CommandSpec } from '../shell/command';
import { fail, ok } from '../types';

const USAGE = 'usage: answer TASK-ID VALUE\n       answer            (list your answers)\n';

export const answerCommand: CommandSpec = {
  name: 'answer',
  summary: 'answer a question task: answer TASK-ID VALUE',
  run(args, ctx) {
    if (args.length === 0) {
      const entries = Object.entries(ctx.answers).filter(([k]) => !k.includes(':'));
      if (entries.length === 0) return ok('no answers yet\n');
      return ok(entries.map(([k, v]) => `${k}: ${v}\n`).join(''));
    }
    if (args[0] === '-h' || args[0] === '--help') return ok(USAGE);
    if (args.length < 2) return fail(`answer: missing value for task "${args[0]}"\n${USAGE}`, 2);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(args[0])) return fail(`answer: "${args[0]}" is not a task id (task ids look like probability-first-rule)\n`, 2);
    const value = args.slice(1).join(' ');
    ctx.answers[args[0]] = value;
    ctx.emit({ type: 'objects', revision: ctx.cluster.store.revision });
    return ok(`answer recorded for ${args[0]}: ${value}\n`);
  },
};

export const gradingCommands: CommandSpec[] = [answerCommand];
