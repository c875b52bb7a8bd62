/**
 * kubectl edit: the save's outcomes and --validate.
 *
 * Upstream: kubectl v0.34 pkg/cmd/util/editor/editoptions.go — Complete's
 * GetValidationDirective (the flag checked before the editor opens); the loop: an unchanged
 * file (StripComments) `Edit cancelled, no changes made.`, an empty one `Edit cancelled,
 * saved file was empty.` (both on stderr, exit 0), the same object `skipped`; visitToPatch's
 * strategic merge patch (CreateTwoWayMergePatch) sent WithFieldValidation; editResults.addError
 * (`error: deployments.apps "web" is invalid`, the reopened file's header `# deployments.apps
 * "web" was not valid:` and `# * field: message`, editHeader.writeTo, hashOnLineBreak,
 * ManualStrip); a syntax error reopens with `# The edited file had a syntax error: …`;
 * preservedFile's `A copy of your changes has been stored to "…"` and `Edit cancelled, no
 * valid changes were saved.` when the reopened file is saved unchanged (here the reopened
 * editor is taken as saved unchanged: the terminal's editor opens once).
 * apiserver handlers/patch.go: a strict decoding error of a patch is NewInvalid on `patch`.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

type Sim = ReturnType<typeof createSimulation>;

/** Starts `line`, saves what `change` makes of the editor's file, and shows the result as the other goldens do. */
function edit(sim: Sim, line: string, change: (content: string) => string | null): string {
  const exec = sim.start(line);
  if (!exec.edit) throw new Error(`${line}: no editor`);
  const r = exec.edit.finish(change(exec.edit.content));
  const chunks = exec.takeOutput();
  let out = `$ ${line}   # editor: saved\n`;
  out += chunks
    .filter((c) => c.stream !== 'stderr')
    .map((c) => c.text)
    .join('');
  const err = chunks
    .filter((c) => c.stream === 'stderr')
    .map((c) => c.text)
    .join('');
  if (err) out += `--- stderr\n${err}`;
  return out + `--- exit ${r.exitCode}\n`;
}

/** The file kubectl named in its last `A copy of your changes has been stored to "…"`. */
function stored(out: string): string {
  const all = [...out.matchAll(/stored to "([^"]+)"/g)];
  return all[all.length - 1][1];
}

describe('kubectl edit', () => {
  it('saves, cancels, reports invalid edits as the reopened file does, honours --validate', () => {
    const sim = createSimulation(null, { seed: 6 });
    let out = '# upstream: kubectl editoptions.go (edit loop, addError, editHeader), GetValidationDirective; apiserver handlers/patch.go\n';
    out += transcriptOf(sim, ['kubectl create deployment web --image=nginx:1.27']);
    out += edit(sim, 'kubectl edit deploy web', (c) => c);
    out += edit(sim, 'kubectl edit deploy web', () => '# nothing\n\n');
    out += edit(sim, 'kubectl edit deploy web', (c) => c.replace('  replicas: 1\n', '  replicas:   1\n'));
    out += edit(sim, 'kubectl edit deploy web', (c) => c.replace('  replicas: 1\n', '  replicas: -1\n'));
    out += transcriptOf(sim, [`grep -v '^  ' ${stored(out)}`]);
    out += edit(sim, 'kubectl edit deploy web', (c) => c.replace('  replicas: 1\n', '  replicas: 1\n  replica: 2\n'));
    out += transcriptOf(sim, [`head -7 ${stored(out)}`]);
    out += edit(sim, 'kubectl edit deploy web --validate=warn', (c) => c.replace('  replicas: 1\n', '  replicas: 2\n  replica: 2\n'));
    out += edit(sim, 'kubectl edit deploy web --validate=ignore', (c) => c.replace('  replicas: 2\n', '  replicas: 3\n  replica: 2\n'));
    out += transcriptOf(sim, ['kubectl get deploy web -o jsonpath=\'{.spec.replicas}{"\\n"}\'', 'kubectl edit deploy web --validate=maybe']);
    out += edit(sim, 'kubectl edit deploy web', (c) => c.replace('name: web\n', 'name: web2\n'));
    out += edit(sim, 'kubectl edit deploy web', (c) => c.replace('  replicas: 3\n', '  replicas: [3\n'));
    out += transcriptOf(sim, [`head -6 ${stored(out)}`]);
    golden('edit', out);
  });
});
