/**
 * What the checker says about a lesson's MDX: compile errors with their line, and every
 * use of a component, prop, expression or link the lesson format does not allow.
 */
import { describe, expect, it } from 'vitest';
import { compileLessonMdx } from '../../lib/lessons';
import { checkMdxUse } from '../../scripts/lessons-check';
import type { Task } from '../../engine/grading';

const FM = '---\ntitle: T\nsummary: S\nmodule: M\norder: 1\nminutes: 1\nobjectives: [x]\n---\n\n';
const tasks = [{ id: 'one' }] as Task[];

async function problems(body: string): Promise<string[]> {
  const c = await compileLessonMdx(FM + body, process.cwd());
  if (c.error) return [`${c.error.line}: ${c.error.message}`];
  const out: string[] = [];
  checkMdxUse(c, tasks, ['10-a', '20-b'], (line, message) => out.push(`${line}: ${message}`));
  return out;
}

describe('lesson MDX', () => {
  it('accepts the documented components', async () => {
    const body = [
      '<Try>kubectl get pods</Try>',
      '<Try>`kubectl patch svc web -p \'{"spec":{}}\'`</Try>',
      '<Callout type="warning" title="Careful">Text.</Callout>',
      '<Compare left="A" right="B">\n<Column>a</Column>\n<Column>b</Column>\n</Compare>',
      '<Diagram alt="two boxes" caption="c">\n```\n[a]->[b]\n```\n</Diagram>',
      '<TaskList />',
      '<Task id="one" />',
      'See [the next lesson](/lessons/20-b) and <kbd>Ctrl</kbd>+<kbd>C</kbd>.',
    ].join('\n\n');
    expect(await problems(body)).toEqual([]);
  });

  it('names each problem and its line', async () => {
    const body = [
      '<Callout type="danger">x</Callout>', // 10
      '<Diagram caption="no alt">\n```\nx\n```\n</Diagram>', // 12
      '<Try></Try>', // 18
      '<Task id="two" />', // 20
      '<TaskList>oops</TaskList>', // 22
      'Two plus two is {2+2}.', // 24
      '<Try extra="1">ls</Try>', // 26
      '<Task id={"one"} />', // 28
      '[gone](/lessons/30-c) and [odd](/lesson/x)', // 30
      '<iframe src="x" />', // 32
      '<callout>lowercase</callout>', // 34
    ].join('\n\n');
    expect(await problems(body)).toEqual([
      '10: <Callout type="danger"> must be one of note, tip, warning',
      '12: <Diagram> needs alt="…" — what the diagram shows, in one or two sentences (read by screen readers)',
      '18: <Try> needs the command between its tags: <Try>kubectl get pods</Try>',
      '20: <Task id="two"> names no task in tasks.yaml (ids: one)',
      '22: <TaskList> takes no content: write it self-closing, <TaskList />',
      '24: `{2+2}` is a JavaScript expression, which lessons cannot contain: to show braces, put the text in backticks (`{"spec":…}`) or escape them as \\{ and \\}',
      '26: <Try> has no prop "extra" (it takes no props)',
      '28: <Task id={…}> uses a JavaScript expression: write the value as text, id="…"',
      '30: link to /lessons/30-c goes nowhere: there is no lesson folder 30-c (lessons: 10-a, 20-b)',
      '30: link /lesson/x goes nowhere: link to a lesson as /lessons/<slug>, or to /, /playground, /authoring',
      '32: <iframe> is not allowed in a lesson (allowed HTML: a, abbr, b, br, code, dd, details, dl, dt, em, i, kbd, mark, p, pre, small, span, strong, sub, summary, sup, table, tbody, td, th, thead, tr; components: Callout, Try, Compare, Column, Diagram, TaskList, Task)',
      '34: <callout> is not allowed in a lesson (allowed HTML: a, abbr, b, br, code, dd, details, dl, dt, em, i, kbd, mark, p, pre, small, span, strong, sub, summary, sup, table, tbody, td, th, thead, tr; components: Callout, Try, Compare, Column, Diagram, TaskList, Task)',
    ]);
  });

  it('reports compile errors at the line MDX names', async () => {
    expect(await problems('Text.\n\n<Diagram alt="x">\n\nno end\n')).toEqual([
      '12: Expected a closing tag for `<Diagram>` (12:1-12:18): every <Component> needs a matching </Component> (or write it self-closing: <TaskList />)',
    ]);
    const braces = await problems('Run kubectl patch -p {"spec": 1} now.\n');
    expect(braces).toHaveLength(1);
    expect(braces[0]).toMatch(/^10: .*in MDX a `\{` starts a JavaScript expression/);
  });
});
