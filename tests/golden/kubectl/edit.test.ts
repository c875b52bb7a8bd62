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
 * valid changes were saved.` when the reopened file (a new LaunchTempFile) is saved unchanged
 * or left unwritten; a reopened file fixed is patched (`edited`), one put back as it was is
 * `Edit cancelled, no changes made.` (StripComments compares yaml.ToJSON of the files, so a
 * change of spacing alone is no change).
 * apiserver handlers/patch.go: a strict decoding error of a patch is NewInvalid on `patch`.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

type Sim = ReturnType<typeof createSimulation>;

/**
 * Starts `line` and answers each time the editor opens (kubectl edit's loop opens it again after
 * an invalid edit): with what the next `changes` entry makes of the file (null: the editor quit
 * without writing). A further opening than there are changes is saved unchanged.
 */
function edit(sim: Sim, line: string, ...changes: ((content: string) => string | null)[]): string {
  const exec = sim.start(line);
  if (!exec.edit) throw new Error(`${line}: no editor`);
  let out = `$ ${line}\n`;
  let r: { exitCode: number } = { exitCode: 0 };
  for (let i = 0; exec.edit; i++) {
    const change = changes[i] ?? ((c: string) => c);
    const saved = change(exec.edit.content);
    out += `# editor on ${i === 0 ? 'the file' : `the reopened ${exec.edit.path}`}: ${saved === null ? 'quit without writing' : saved === exec.edit.content ? 'saved unchanged' : 'saved'}\n`;
    r = exec.edit.finish(saved);
    if (i > 5) throw new Error('the editor keeps reopening');
  }
  const chunks = exec.takeOutput();
  out += chunks
    .filter((c) => c.stream !== 'stderr')
    .map((c) => c.text)
    .join('');
  const err = chunks
    .filter((c) => c.stream === 'stderr')
    .map((c) => c.text)
    .join('');
  if (err) out += `--- stderr\n${err}`;
  return out + `--- exit ${exec.exitCode ?? r.exitCode}\n`;
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

  it('the loop: the reopened editor fixed, put back, left unwritten, or invalid again', () => {
    const sim = createSimulation(null, { seed: 6 });
    let out = '# upstream: kubectl v0.34 editoptions.go Run (editFn loop, containsError, editedDiff, preservedFile), editHeader.writeTo\n';
    out += transcriptOf(sim, ['kubectl create deployment web --image=nginx:1.27']);
    const bad = (c: string) => c.replace('  replicas: 1\n', '  replicas: -1\n');
    out += edit(sim, 'kubectl edit deploy web', bad, (c) => c.replace('  replicas: -1\n', '  replicas: 2\n'));
    out += transcriptOf(sim, ['kubectl get deploy web -o jsonpath=\'{.spec.replicas}{"\\n"}\'', 'ls /tmp']);
    out += edit(sim, 'kubectl edit deploy web', (c) => c.replace('  replicas: 2\n', '  replicas: -2\n'), (c) => c.replace('  replicas: -2\n', '  replicas: 2\n'));
    out += edit(sim, 'kubectl edit deploy web', (c) => c.replace('  replicas: 2\n', '  replicas: -2\n'), () => null);
    out += transcriptOf(sim, ['ls /tmp']);
    out += edit(
      sim,
      'kubectl edit deploy web',
      (c) => c.replace('  replicas: 2\n', '  replicas: -2\n'),
      (c) => c.replace('  replicas: -2\n', '  replicas: -3\n'),
    );
    out += transcriptOf(sim, [`head -8 ${stored(out)}`]);
    out += edit(sim, 'kubectl edit deploy web', (c) => c.replace('  replicas: 2\n', '  replicas: [2\n'), (c) => c.replace('  replicas: [2\n', '  replicas: 4\n'));
    out += transcriptOf(sim, ['kubectl get deploy web -o jsonpath=\'{.spec.replicas}{"\\n"}\'']);
    golden('edit-loop', out);
  });
});
