/**
 * The authoring guide's list of commands (lib/command-reference.ts) is the engine's command
 * table as the hosts expose it — generated at build time, never kept by hand in docs/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCommandTable } from '../../../engine/commands/registry';
import { COMMANDS_MARKER, commandReference, commandReferenceMarkdown } from '../../../lib/command-reference';
import { createSimulation } from '../../../engine/index';

const ref = commandReference();

describe('the command reference', () => {
  it('lists entries of the engine command table with their own summaries', () => {
    const table = createCommandTable();
    expect(ref.commands.length).toBeGreaterThan(80);
    for (const c of ref.commands) {
      const spec = table.find(c.name);
      expect(spec, c.name).toBeDefined();
      expect(spec!.summary.replace(/\s*\(installed, not simulated\)$/, '')).toBe(c.summary);
    }
    const at = (n: string) => ref.commands.find((c) => c.name === n);
    expect(at('kubectl')).toMatchObject({ workstation: true, node: true, modelled: true });
    expect(at('iptables')).toMatchObject({ workstation: false, node: true, modelled: true });
    expect(at('ethtool')).toMatchObject({ node: true, modelled: true });
  });

  it('says which kubectl subcommands the simulated kubectl runs, as it answers them', () => {
    const sim = createSimulation('', { seed: 1 });
    for (const k of ref.kubectl) {
      const r = sim.run(`kubectl ${k.name} --help`);
      expect(/is not modeled/.test(r.stderr), k.name).toBe(!k.modelled);
    }
    expect(ref.kubectl.filter((k) => k.modelled).map((k) => k.name)).toEqual(expect.arrayContaining(['get', 'apply', 'exec', 'describe', 'logs', 'expose']));
  });

  it('is the guide section, which docs/authoring.md only marks', () => {
    const guide = readFileSync('docs/authoring.md', 'utf8');
    expect(guide.split(COMMANDS_MARKER).length).toBe(2);
    expect(guide).not.toMatch(/^\| `kubectl` \|/m);
    const md = commandReferenceMarkdown(ref);
    expect(md).toMatch(/^\| `kubectl` \| kubectl controls the Kubernetes cluster manager \| ✓ \| ✓ \|$/m);
    expect(md).toContain(`**kubectl** runs ${ref.kubectl.filter((k) => k.modelled).length} of its ${ref.kubectl.length} subcommands: \`create\``);
  });
});
