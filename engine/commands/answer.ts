/**
 * Commands the course adds to the workstation: `answer TASK VALUE` records the answer
 * to a question task (the task panel's answer box does the same) and, in a lesson, says
 * in one line whether it is right (Simulation.answerJudge).
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
    const id = args[0];
    const value = args.slice(1).join(' ');
    // in a lesson, say at once whether it is right, in the task panel's words
    const known = ctx.judgeAnswer?.(id);
    if (known?.kind === 'unknown') return fail(`answer: this lesson has no task "${id}" (type \`answer\` to list your answers; the task panel shows the ids)\n`, 2);
    ctx.answers[id] = value;
    ctx.emit({ type: 'objects', revision: ctx.cluster.store.revision });
    const verdictAfter = known ? ctx.judgeAnswer?.(id) : undefined;
    if (verdictAfter?.kind === 'question') {
      if (verdictAfter.correct) return ok(`${id}: correct — "${value}" matches what the live cluster shows\n`);
      return ok(`${id}: not quite — ${verdictAfter.reason ?? `"${value}" is not what the live cluster shows`}\n`);
    }
    if (verdictAfter?.kind === 'prediction') return ok(`${id}: ${verdictAfter.text}\n`);
    if (verdictAfter?.kind === 'not-question') return ok(`answer recorded for ${id}: ${value} (this task is not a question: it is checked from the cluster)\n`);
    return ok(`answer recorded for ${id}: ${value}\n`);
  },
};

export const gradingCommands: CommandSpec[] = [answerCommand];
