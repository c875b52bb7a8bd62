/**
 * `cniConfig: { node }`: the network configuration a node's runtime loads — the first file
 * of /etc/cni/net.d/ in lexical order (containerd's go-cni: libcni.ConfFiles, then
 * sort.Strings), the same name `ls /etc/cni/net.d/` prints on that node.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../engine';
import { answerMatches, derive, validateTasksDoc } from '../../engine/grading';

const lab = (cni: string) => createSimulation(`cluster: { cni: ${cni} }\n`, { seed: 1 });

describe('cniConfig', () => {
  it.each([
    ['flannel', '10-flannel.conflist'],
    ['calico', '10-calico.conflist'],
    ['cilium', '05-cilium.conflist'],
  ])('on %s names %s, the first file ls lists on the node', (cni, file) => {
    const sim = lab(cni);
    const d = derive(sim, { cniConfig: { node: 'node-2' } });
    expect(d.value).toBe(file);
    const listed = sim.run('ssh node-2 ls /etc/cni/net.d/').stdout.split(/\s+/).filter(Boolean).sort();
    expect(listed[0]).toBe(file);
    expect(answerMatches(`/etc/cni/net.d/${file}`, d)).toBe(true);
    expect(answerMatches('10-bridge.conflist', d)).toBe(false);
  });

  it('says why when the node does not exist, and validates its keys', () => {
    expect(derive(lab('flannel'), { cniConfig: { node: 'node-9' } }).reason).toBe('there is no node node-9');
    const doc = { tasks: [{ id: 'q', title: 'Q', kind: 'question', question: 'Which?', check: { answer: { cniConfig: { nod: 'node-1' } } }, solution: { commands: ['ls'] } }] };
    const errors = validateTasksDoc(doc).problems.map((e) => e.message);
    expect(errors).toContain('unknown key "nod" in cniConfig (known: node)');
    expect(errors).toContain('needs `node:` (the node whose /etc/cni/net.d/ is read)');
  });
});
