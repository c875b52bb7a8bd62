/**
 * The lesson checker's work on one lesson folder, given its files as text: tasks.yaml
 * (format and checks), scenario.yaml (loads, the cluster accepts it), index.mdx (only known
 * components, props, links, no code), then a replay of every reference solution in a fresh
 * simulation (each task unsolved at the start, done after its own solution and not before;
 * every <Try> command one the simulator knows; the lesson's shape). Pure: no filesystem.
 * The CLI (scripts/lessons-check.ts) runs it on every folder with mdx-bundler's compile; the
 * authoring studio runs it in a Web Worker on a micromark parse of the MDX.
 */
import { createSimulation, loadOpenApi, loadScenario, ScenarioError } from '../engine/index';
import { validateTasksDoc } from '../engine/grading/validate';
import { createLessonSimulation, replayLesson, THINK_TIME_MS, type ReplayReport } from '../engine/grading/replay';
import type { Task } from '../engine/grading/types';
import { isPredict } from '../engine/grading/predict';
import { splitPath } from '../engine/grading/query';
import { HTML_TAGS, parseYamlFile, type CompiledMdx } from './lesson-parse';
import { MDX_COMPONENTS } from './lesson-schema';

export interface CheckError {
  /** Path relative to the repository (or to the lessons folder's parent). */
  file: string;
  line?: number;
  message: string;
}

export function formatError(e: CheckError): string {
  return `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`;
}

/** A lesson's files as text (`files`: the seed files under files/, by relative path). */
export interface LessonFiles {
  mdx?: string;
  scenario?: string;
  tasksText?: string;
  files: Record<string, string>;
}

export interface LessonFilesReport {
  tasks: number;
  commands: number;
  replayMs: number;
}

export interface LessonFilesCheck {
  errors: CheckError[];
  report: LessonFilesReport;
  /** The replay of the reference solutions (seed 1), when everything it needs was sound. */
  replay?: ReplayReport;
  /** The tasks as validated (empty when tasks.yaml does not parse). */
  tasks: Task[];
}

export interface CheckContext {
  /** The path an error names for one of the lesson's files (`lessons/20-x/tasks.yaml`). */
  file(name: 'index.mdx' | 'tasks.yaml' | 'scenario.yaml'): string;
  /** Every lesson slug of the course (links must name one). */
  slugs: string[];
  /** Parses (the CLI: compiles) the MDX and lists its components, links, code and expressions. */
  analyzeMdx(source: string): Promise<CompiledMdx> | CompiledMdx;
}


/** Checks one lesson's files: everything but the frontmatter's cross-lesson rules (order, prerequisites: scripts/lessons-check.ts). */
export async function checkLessonFiles(raw: LessonFiles, ctx: CheckContext): Promise<LessonFilesCheck> {
  const errors: CheckError[] = [];
  // the API server checks kubectl's manifests against its OpenAPI schemas: have them before replaying
  await loadOpenApi();
  const file = ctx.file;
  const slugs = ctx.slugs;
  let replay: ReplayReport | undefined;
  // tasks.yaml
  let tasks: Task[] = [];
  let taskLine: (p: (string | number)[]) => number | undefined = () => undefined;
  if (raw.tasksText === undefined) {
    errors.push({ file: file('tasks.yaml'), message: 'missing: add a tasks.yaml with at least one task (id, title, kind, hints, check, solution)' });
  } else {
    const y = parseYamlFile(raw.tasksText);
    taskLine = y.lineOf;
    if (y.error) errors.push({ file: file('tasks.yaml'), line: y.error.line, message: `not valid YAML: ${y.error.message}` });
    else {
      const v = validateTasksDoc(y.data);
      for (const p of v.problems) errors.push({ file: file('tasks.yaml'), line: y.lineOf(p.path), message: `${pathLabel(p.path)}${p.message}` });
      tasks = v.tasks;
    }
  }

  // scenario.yaml
  let scenarioOk = false;
  if (raw.scenario === undefined) {
    errors.push({ file: file('scenario.yaml'), message: 'missing: add a scenario.yaml (cluster settings and objects; an empty file gives the default cluster)' });
  } else {
    try {
      loadScenario(raw.scenario);
      try {
        createSimulation(raw.scenario, { seed: 1 });
        scenarioOk = true;
      } catch (e) {
        const sc = parseYamlFile(raw.scenario);
        const m = (e as Error).message;
        const idx = findObjectIndex(raw.scenario, m);
        // `… is invalid: spec.template.spec.containers[0].ports[0].containerPort: Invalid value…` → that field's line.
        const field = m.match(/is invalid: ([\w.[\]"-]+):/)?.[1];
        const line = idx === undefined ? undefined : (field ? sc.lineOf(['objects', idx, ...splitPath(field)]) : undefined) ?? sc.lineOf(['objects', idx]);
        errors.push({ file: file('scenario.yaml'), line, message: `the scenario loads but the cluster rejects it: ${m} — fix the manifest so \`kubectl apply\` would accept it` });
      }
    } catch (e) {
      if (e instanceof ScenarioError) {
        const sc = parseYamlFile(raw.scenario);
        const line = e.line ?? scenarioErrorLine(e.message, sc);
        errors.push({ file: file('scenario.yaml'), line, message: `${e.message} (scenario format: docs/authoring.md, "The scenario")` });
      } else throw e;
    }
  }

  // index.mdx body
  let tries: { command: string; line?: number }[] = [];
  const taskLines = new Map<string, number>();
  if (raw.mdx !== undefined) {
    const compiled = await ctx.analyzeMdx(raw.mdx);
    tries = compiled.components.filter((u) => u.name === 'Try' && u.text).map((u) => ({ command: u.text, line: u.line }));
    for (const u of compiled.components) {
      const id = u.name === 'Task' ? u.attributes.find((a) => a.name === 'id')?.value : undefined;
      if (typeof id === 'string' && u.line !== undefined && !taskLines.has(id)) taskLines.set(id, u.line);
    }
    if (compiled.error) errors.push({ file: file('index.mdx'), line: compiled.error.line, message: `MDX does not compile: ${compiled.error.message}` });
    else checkMdxUse(compiled, tasks, slugs, (line, message) => errors.push({ file: file('index.mdx'), line, message }));
  }

  // replay: only when everything it needs is sound
  const report: LessonFilesReport = { tasks: tasks.length, commands: 0, replayMs: 0 };
  if (scenarioOk && tasks.length && errors.length === 0) {
    let r: ReturnType<typeof replayLesson>;
    try {
      r = replayLesson({ scenario: raw.scenario!, files: raw.files }, tasks, { seed: 1 });
    } catch (e) {
      errors.push({ file: file('tasks.yaml'), message: `replaying the solutions crashed the simulator: ${(e as Error).message}. This is a simulator bug — report it with this lesson; meanwhile change the solution command that triggers it` });
      return { errors, report, tasks };
    }
    replay = r;
    report.commands = r.steps.length;
    report.replayMs = r.elapsedMs;
    const idx = (id: string) => tasks.findIndex((t) => t.id === id);
    // Every <Try> command, clicked in prose order in a fresh lab, must be one the simulator knows.
    const trySim = createLessonSimulation({ scenario: raw.scenario!, files: raw.files }, { seed: 1 });
    for (const t of tries) {
      let res: { stdout: string; stderr: string; exitCode: number };
      try {
        res = trySim.run(t.command);
      } catch (e) {
        res = { stdout: '', stderr: `crashed: ${(e as Error).message}`, exitCode: 1 };
      }
      trySim.advance(THINK_TIME_MS);
      const err = res.stderr.trim().split('\n')[0] ?? '';
      if (res.exitCode === 127 || /not modeled|command not found|unknown command|crashed:/.test(res.stderr)) {
        errors.push({ file: file('index.mdx'), line: t.line, message: `<Try>${t.command}</Try> does not work in the simulated cluster (${err}): show a command the simulator runs, or get the command modeled first` });
      }
    }
    for (const t of r.satisfiedAtStart) {
      errors.push({ file: file('tasks.yaml'), line: taskLine(['tasks', idx(t.id), 'check']), message: `task "${t.id}" is already done before the learner does anything: its check passes on the fresh scenario. Make the check require the change the task asks for (or remove from scenario.yaml what already satisfies it)` });
    }
    for (const t of r.earlyDone) {
      errors.push({ file: file('tasks.yaml'), line: taskLine(['tasks', idx(t.id), 'check']), message: `task "${t.id}" is already done after the solution of "${t.reason}", before its own turn: the learner would see it tick too early. Make its check require what this task asks, or add \`- done: ${tasks[idx(t.id) - 1]?.id}\` to it (under \`all:\`) so it only counts after the task before it` });
    }
    for (const s of r.failedCommands) {
      const i = idx(s.taskId);
      const ci = tasks[i].solution.commands.indexOf(s.command);
      const out = s.result.exitCode === 130 && !s.result.stderr.trim()
        ? 'it kept running and was interrupted: give it an end, e.g. ping -c 3, or drop -w'
        : ((s.result.stderr || s.result.stdout).trim().split('\n')[0] ?? '');
      errors.push({ file: file('tasks.yaml'), line: taskLine(['tasks', i, 'solution', 'commands', ci]), message: `solution of "${s.taskId}": \`${s.command}\` exited ${s.result.exitCode}${out ? ` (${out})` : ''}. Every solution command must succeed when replayed in order from a fresh scenario — fix the command, or an earlier task's solution it depends on` });
    }
    checkStructure({ mdx: raw.mdx ?? '', tries, taskLines, tasks, answers: r.answers }, (f, line, message) => errors.push({ file: file(f), line, message }), taskLine);
    for (const t of r.unsolved) {
      errors.push({ file: file('tasks.yaml'), line: taskLine(['tasks', idx(t.id), 'solution']), message: `task "${t.id}" is not done after its own solution (replayed in order): ${t.reason ?? 'its check does not pass'}. Fix the solution so it does what the task asks, or the check so it accepts it` });
    }
    // A scenario that draws its faults gives each learner another cluster: the solutions must solve other draws too.
    if (loadScenario(raw.scenario!).faults) {
      for (const seed of FAULT_SEEDS) {
        const rs = replayLesson({ scenario: raw.scenario!, files: raw.files }, tasks, { seed });
        const drawn = createSimulation(raw.scenario!, { seed }).faults.join(', ');
        const at = `with seed ${seed} (faults drawn: ${drawn})`;
        for (const t of rs.satisfiedAtStart) errors.push({ file: file('tasks.yaml'), line: taskLine(['tasks', idx(t.id), 'check']), message: `${at}, task "${t.id}" is already done at the start: make sure every draw breaks what each task grades (faults.draw groups in scenario.yaml)` });
        for (const t of rs.earlyDone) errors.push({ file: file('tasks.yaml'), line: taskLine(['tasks', idx(t.id), 'check']), message: `${at}, task "${t.id}" is already done after the solution of "${t.reason}": every draw must leave something for each task to repair` });
        for (const st of rs.failedCommands) errors.push({ file: file('tasks.yaml'), line: taskLine(['tasks', idx(st.taskId), 'solution']), message: `${at}, solution of "${st.taskId}": \`${st.command}\` exited ${st.result.exitCode} (${(st.result.stderr || st.result.stdout).trim().split('\n')[0] ?? ''}): a solution must work whatever the draw` });
        for (const t of rs.unsolved) errors.push({ file: file('tasks.yaml'), line: taskLine(['tasks', idx(t.id), 'solution']), message: `${at}, task "${t.id}" is not done after its own solution: ${t.reason ?? 'its check does not pass'}. Its solution must repair every fault its draw may pick` });
      }
    }
  }
  return { errors, report, replay, tasks };
}

/** The seeds besides 1 whose draws a lesson with `faults:` is replayed with (each learner gets a seed of their own). */
const FAULT_SEEDS = [2, 3, 4, 5, 6];

/** Commands that only move the learner between machines: a Try may show them even for a challenge. */
const NAVIGATION = /^(ssh\s+\S+|exit|logout|cd(\s+\S+)?|kubectl\s+exec\s+(-it|-ti|-i\s+-t|-t\s+-i)\s+\S+(\s+-n\s+\S+)?(\s+-c\s+\S+)?\s+--\s+(sh|bash|ash))$/;
const norm = (c: string) => c.trim().replace(/\s+/g, ' ');

/**
 * Answers too common to search the prose for: small numbers, booleans, one or two
 * characters. Anything longer (an IP, a chain name, a device) must not sit above its task.
 */
function searchable(answer: string): boolean {
  return answer.length >= 3 && !/^\d{1,3}$/.test(answer) && !/^(true|false|yes|no)$/i.test(answer);
}

/**
 * A lesson's shape (issue: make the learner think): a Recap section; at least one challenge
 * task that no Try button solves; at least one predict-then-check task; no question whose
 * answer is printed above it (in the prose or in the question itself).
 */
export function checkStructure(
  l: { mdx: string; tries: { command: string; line?: number }[]; taskLines: Map<string, number>; tasks: Task[]; answers: Record<string, string[]> },
  report: (file: 'index.mdx' | 'tasks.yaml', line: number | undefined, message: string) => void,
  taskLine: (p: (string | number)[]) => number | undefined,
): void {
  const lines = l.mdx.split('\n');
  if (!lines.some((x) => /^#{2,3}\s+Recap\s*$/.test(x))) {
    report('index.mdx', lines.length, 'no `## Recap` section: end the lesson with a short recap of what the learner found (a few bullets, in your own words)');
  }
  const challenges = l.tasks.filter((t) => t.challenge);
  if (challenges.length === 0) {
    report('tasks.yaml', taskLine(['tasks', l.tasks.length - 1]), 'no challenge task: mark the lesson\'s final, least guided task with `challenge: true` (no Try button may run its solution; its hints come one at a time)');
  }
  if (!l.tasks.some((t) => isPredict(t.check))) {
    report('tasks.yaml', taskLine(['tasks', 0]), 'no predict-then-check task: ask the learner to commit to an answer before they run the command that settles it (a question task with `predict: { answer, then }`, docs/authoring.md)');
  }
  for (const t of challenges) {
    const i = l.tasks.indexOf(t);
    for (const c of t.solution.commands ?? []) {
      if (NAVIGATION.test(norm(c))) continue;
      const give = l.tries.find((tr) => norm(tr.command) === norm(c));
      if (give) report('index.mdx', give.line, `<Try>${give.command}</Try> runs a solution command of the challenge "${t.id}" (tasks.yaml line ${taskLine(['tasks', i, 'solution']) ?? '?'}): a challenge is solved by the learner, so show a different command here or make another task the challenge`);
    }
  }
  for (const t of l.tasks) {
    if (t.kind !== 'question') continue;
    // A choice question ("docs or web?") names its answer among others, on purpose.
    const choice = (a: string) => new RegExp(`(^|\\W)${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},? or |\\Wor ${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\W|$)`).test(t.question ?? '');
    const at = l.taskLines.get(t.id);
    const above = at === undefined ? '' : lines.slice(0, at - 1).join('\n');
    for (const a of (l.answers[t.id] ?? []).filter(searchable)) {
      if (choice(a)) break;
      const re = new RegExp(`(?<![\\w./-])${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/-]|\\.\\w)`);
      const inQuestion = re.test(t.question ?? '');
      const m = re.exec(above);
      if (m) {
        const line = above.slice(0, m.index).split('\n').length;
        report('index.mdx', line, `the answer to question "${t.id}" (${a}) is printed here, above the question (line ${at}): the learner should find it in the cluster — reword the prose, or ask about something the page does not say`);
      } else if (inQuestion) {
        report('tasks.yaml', taskLine(['tasks', l.tasks.indexOf(t), 'question']), `the question of "${t.id}" contains its own answer (${a}): ask it without giving it away`);
      }
      if (m || inQuestion) break;
    }
  }
}

/** Which line of scenario.yaml a ScenarioError is about, from the key or index it names. */
function scenarioErrorLine(message: string, sc: ReturnType<typeof parseYamlFile>): number | undefined {
  let m: RegExpMatchArray | null;
  if ((m = message.match(/objects\[(\d+)\]/))) return sc.lineOf(['objects', Number(m[1])]);
  if ((m = message.match(/cluster\.nodes\[(\d+)\]/))) return sc.lineOf(['cluster', 'nodes', Number(m[1])]);
  if ((m = message.match(/unknown cluster setting "([^"]+)"/))) return sc.lineOf(['cluster', m[1]]);
  if ((m = message.match(/unknown top-level key "([^"]+)"/))) return sc.lineOf([m[1]]);
  if ((m = message.match(/^cluster\.(\w+)/))) return sc.lineOf(['cluster', m[1]]);
  if ((m = message.match(/^(cluster|objects|files|startTime)\b/))) return sc.lineOf([m[1]]);
  return undefined;
}

function pathLabel(p: (string | number)[]): string {
  if (p[0] === 'tasks' && typeof p[1] === 'number') return `tasks[${p[1]}]${p.length > 2 ? '.' + p.slice(2).map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[') : ''}: `;
  return p.length ? `${p.join('.')}: ` : '';
}

/** Finds which manifest an API error is about by the object name it quotes. */
function findObjectIndex(scenario: string, message: string): number | undefined {
  const names = [...message.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  try {
    const doc = loadScenario(scenario);
    for (const n of names) {
      const i = doc.objects.findIndex((o) => (o.metadata as { name?: string } | undefined)?.name === n);
      if (i >= 0) return i;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export function checkMdxUse(c: CompiledMdx, tasks: Task[], slugs: string[], reportTo: (line: number | undefined, message: string) => void): void {
  const found: { line?: number; message: string }[] = [];
  const report = (line: number | undefined, message: string) => found.push({ line, message });
  findMdxProblems(c, tasks, slugs, report);
  // In file order (a stable sort keeps several problems on one line in the order found).
  found.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  for (const f of found) reportTo(f.line, f.message);
}

function findMdxProblems(c: CompiledMdx, tasks: Task[], slugs: string[], report: (line: number | undefined, message: string) => void): void {
  const known = Object.keys(MDX_COMPONENTS);
  for (const e of c.esm) report(e.line, 'lessons cannot import or export code: use the built-in components (' + known.join(', ') + ')');
  for (const e of c.expressions) {
    report(e.line, `\`{${e.text.length > 40 ? e.text.slice(0, 40) + '…' : e.text}}\` is a JavaScript expression, which lessons cannot contain: to show braces, put the text in backticks (\`{"spec":…}\`) or escape them as \\{ and \\}`);
  }
  for (const u of c.components) {
    if (/^[a-z]/.test(u.name)) {
      if (!HTML_TAGS.has(u.name)) report(u.line, `<${u.name}> is not allowed in a lesson (allowed HTML: ${[...HTML_TAGS].join(', ')}; components: ${known.join(', ')})`);
      continue;
    }
    const spec = MDX_COMPONENTS[u.name];
    if (!spec) {
      const near = known.find((k) => k.toLowerCase() === u.name.toLowerCase());
      report(u.line, `unknown component <${u.name}>${near ? ` — did you mean <${near}>?` : ''} (known: ${known.join(', ')}; see docs/authoring.md, "Components")`);
      continue;
    }
    for (const a of u.attributes) {
      const p = spec.props[a.name];
      if (!p) {
        report(u.line, `<${u.name}> has no prop "${a.name}" (${Object.keys(spec.props).length ? `props: ${Object.keys(spec.props).join(', ')}` : 'it takes no props'})`);
        continue;
      }
      if (a.expression) {
        report(u.line, `<${u.name} ${a.name}={…}> uses a JavaScript expression: write the value as text, ${a.name}="…"`);
        continue;
      }
      if (p.type === 'string' && typeof a.value !== 'string') report(u.line, `<${u.name} ${a.name}> needs a text value: ${a.name}="…"`);
      if (p.values && typeof a.value === 'string' && !p.values.includes(a.value)) report(u.line, `<${u.name} ${a.name}="${a.value}"> must be one of ${p.values.join(', ')}`);
    }
    for (const [name, p] of Object.entries(spec.props)) {
      if (p.required && !u.attributes.some((a) => a.name === name)) report(u.line, `<${u.name}> needs ${name}="…" — ${p.help}`);
    }
    if (spec.children === 'none' && u.hasChildren) report(u.line, `<${u.name}> takes no content: write it self-closing, <${u.name} />`);
    if (spec.children === 'text' && !u.text) report(u.line, `<${u.name}> needs the command between its tags: <${u.name}>kubectl get pods</${u.name}>`);
    if (u.name === 'Task') {
      const id = u.attributes.find((a) => a.name === 'id')?.value;
      if (typeof id === 'string' && tasks.length && !tasks.some((t) => t.id === id)) report(u.line, `<Task id="${id}"> names no task in tasks.yaml (ids: ${tasks.map((t) => t.id).join(', ')})`);
    }
  }
  const compares = c.components.filter((u) => u.name === 'Compare');
  for (const cmp of compares) {
    const cols = c.components.filter((u) => u.name === 'Column' && u.line !== undefined && cmp.line !== undefined && u.line >= cmp.line);
    if (cols.length < 2) report(cmp.line, '<Compare> needs two <Column> children: <Compare left="A" right="B"><Column>…</Column><Column>…</Column></Compare>');
  }
  for (const l of c.links) {
    const m = l.url.match(/^\/lessons\/([^/#?]+)\/?(?:[#?].*)?$/);
    if (m) {
      if (!slugs.includes(m[1])) report(l.line, `link to /lessons/${m[1]} goes nowhere: there is no lesson folder ${m[1]} (lessons: ${slugs.join(', ')})`);
    } else if (l.url.startsWith('/lessons')) {
      report(l.line, `link ${l.url} is not a lesson address: use /lessons/<slug>`);
    } else if (/^\.{0,2}\//.test(l.url) && !/^\/(playground|authoring)\/?([#?].*)?$/.test(l.url) && l.url !== '/') {
      report(l.line, `link ${l.url} goes nowhere: link to a lesson as /lessons/<slug>, or to /, /playground, /authoring`);
    }
  }
}

