/**
 * "Which commands does the simulator support?" — answered by the engine itself when the
 * site is built, never by a hand-kept list: a fresh simulated cluster runs `help` on the
 * workstation and on a node (help lists the host's entries of the engine's command table,
 * engine/commands/registry.ts, with their summaries; a tool a host has but the engine does
 * not model says "installed, not simulated"), and `kubectl help`'s subcommands are each
 * asked whether they are modelled. The authoring guide (app/authoring/page.tsx) puts the
 * result where docs/authoring.md has COMMANDS_MARKER. Server/build only.
 */
import { createSimulation } from '../engine/index';

export const COMMANDS_MARKER = '<!-- commands: generated at build time (lib/command-reference.ts) -->';

interface HelpEntry {
  name: string;
  summary: string;
}

/** `  name   summary` lines of `help`, then the names under "Also installed here, not simulated:". */
function parseHelp(text: string): HelpEntry[] {
  const [simulated, others = ''] = text.split(/\n\s*Also installed here, not simulated:\n/);
  const entries = simulated
    .split('\n')
    .map((l) => /^ {2}(\S+) {2,}(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ name: m[1], summary: m[2].trim() }));
  // an unmodelled command's summary is its name (commands/net/catalog)
  for (const name of others.split(/\s+/).filter(Boolean)) entries.push({ name, summary: `${name} (installed, not simulated)` });
  return entries;
}

const UNMODELLED = /\(installed, not simulated\)$/;

export interface CommandReference {
  /** Every command name with its summary, where it runs, and whether the engine models it. */
  commands: { name: string; summary: string; workstation: boolean; node: boolean; modelled: boolean }[];
  /** kubectl's subcommands (kubectl help), each with whether the simulated kubectl runs it. */
  kubectl: { name: string; summary: string; modelled: boolean }[];
}

export function commandReference(): CommandReference {
  const sim = createSimulation('', { seed: 1 });
  const ws = parseHelp(sim.run('help').stdout);
  sim.run('ssh node-1');
  const onNode = parseHelp(sim.run('help').stdout);
  sim.run('exit');
  const byName = new Map<string, CommandReference['commands'][number]>();
  for (const [list, where] of [
    [ws, 'workstation'],
    [onNode, 'node'],
  ] as const) {
    for (const e of list) {
      const c = byName.get(e.name) ?? { name: e.name, summary: e.summary.replace(UNMODELLED, '').trim(), workstation: false, node: false, modelled: !UNMODELLED.test(e.summary) };
      c[where] = true;
      byName.set(e.name, c);
    }
  }
  const commands = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));

  // kubectl's own list, each verb asked: the simulated kubectl says when one is not modelled
  const kubectl: CommandReference['kubectl'] = [];
  for (const e of parseHelp(sim.run('kubectl help').stdout)) {
    if (kubectl.some((k) => k.name === e.name)) continue;
    const r = sim.run(`kubectl ${e.name} --help`);
    kubectl.push({ name: e.name, summary: e.summary, modelled: !/is not modeled by this simulated cluster/.test(r.stderr) });
  }
  return { commands, kubectl };
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The reference as Markdown (for the authoring guide). */
export function commandReferenceMarkdown(ref: CommandReference = commandReference()): string {
  const modelled = ref.commands.filter((c) => c.modelled);
  const not = ref.commands.filter((c) => !c.modelled);
  const kModelled = ref.kubectl.filter((k) => k.modelled);
  const kNot = ref.kubectl.filter((k) => !k.modelled);
  return [
    `This list was generated when this site was built, by asking the engine: \`help\` on the workstation and on a node, and each of \`kubectl help\`'s subcommands. Inside a Pod (\`kubectl exec\`), the commands are those of the container's image — run \`help\` there. ${modelled.length} commands are simulated.`,
    '',
    '| Command | What it does | Workstation | Nodes |',
    '| --- | --- | :-: | :-: |',
    ...modelled.map((c) => `| \`${cell(c.name)}\` | ${cell(c.summary)} | ${c.workstation ? '✓' : ''} | ${c.node ? '✓' : ''} |`),
    '',
    `**kubectl** runs ${kModelled.length} of its ${ref.kubectl.length} subcommands: ${kModelled.map((k) => `\`${k.name}\``).join(', ')}.${kNot.length ? ` Not modelled (they print \`error: "kubectl …" is not modeled by this simulated cluster\`): ${kNot.map((k) => `\`${k.name}\``).join(', ')}.` : ''}`,
    '',
    not.length ? `Installed on a host but not simulated (they say so when run, so a lesson must not rely on them): ${not.map((c) => `\`${c.name}\``).join(', ')}.` : '',
  ].join('\n');
}
