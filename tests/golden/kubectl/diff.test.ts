/**
 * kubectl diff, pinned against upstream k8s.io/kubectl v0.34 pkg/cmd/diff/diff.go (LIVE and
 * MERGED directories from os.MkdirTemp, files named GROUP.VERSION.KIND.NAMESPACE.NAME, the
 * objects as YAML without managedFields, Secret data masked by Masker, `diff -u -N` of the two
 * directories, exit 1 when they differ) and GNU diffutils' unified format (the `diff -u -N`
 * line, ---/+++ with the files' times — the epoch for an absent file — and 3-line hunks).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { unifiedHunks } from '../../../engine/commands/kubectl/diff';
import { golden, transcriptOf } from './golden';

describe('kubectl diff', () => {
  it('shows what apply would change, and exits 1 when something would', () => {
    const sim = createSimulation(null, { seed: 5 });
    const out = transcriptOf(sim, [
      'kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml > web.yaml',
      'kubectl diff -f web.yaml | head -12',
      'kubectl apply -f web.yaml',
      'kubectl diff -f web.yaml',
      "sed -i 's/replicas: 1/replicas: 3/; s/nginx:1.27/nginx:1.28/' web.yaml",
      'kubectl diff -f web.yaml',
      'kubectl create secret generic s --from-literal=a=1 --from-literal=b=2 --dry-run=client -o yaml > s.yaml',
      'kubectl apply -f s.yaml',
      'kubectl create secret generic s --from-literal=a=1 --from-literal=b=3 --dry-run=client -o yaml > s.yaml',
      'kubectl diff -f s.yaml | grep -F "***"',
      'kubectl diff',
      'kubectl diff -f nope.yaml',
    ]);
    golden('diff', '# upstream: kubectl pkg/cmd/diff/diff.go; GNU diffutils diff -u -N\n' + out);
  });

  it('hunks as GNU diff -u cuts them: three lines of context, near changes joined, one-line ranges without a count', () => {
    const a = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n';
    expect(unifiedHunks(a, a)).toBe('');
    expect(unifiedHunks(a, a.replace('b\n', 'B\n').replace('l\n', 'L\n'))).toBe('@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -9,5 +9,5 @@\n i\n j\n k\n-l\n+L\n m\n');
    expect(unifiedHunks(a, a.replace('d\n', 'D\n').replace('h\n', 'H\n'))).toBe('@@ -1,11 +1,11 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n-h\n+H\n i\n j\n k\n');
    expect(unifiedHunks('', 'x\n')).toBe('@@ -0,0 +1 @@\n+x\n');
  });
});
