/** Properties of the kubectl command: flag parsing, selectors, never throwing, determinism, snapshots. */
import { describe, it, expect } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import { parseFlags, FlagError } from '../../../engine/commands/kubectl/flags';
import { parseSelector, selectorMatches, KubectlError } from '../../../engine/commands/kubectl/common';
import { suggestionsFor } from '../../../engine/commands/kubectl';
import { kubectlCommand } from '../../../engine/commands/kubectl';

describe('pflag rules', () => {
  const defs = [
    { long: 'output', short: 'o', type: 'string' as const },
    { long: 'stdin', short: 'i', type: 'bool' as const },
    { long: 'tty', short: 't', type: 'bool' as const },
    { long: 'replicas', type: 'int' as const },
    { long: 'from-literal', type: 'strings' as const },
  ];
  it('accepts every spelling of a value and interspersed arguments', () => {
    for (const args of [['-o', 'yaml', 'pods'], ['pods', '-oyaml'], ['pods', '-o=yaml'], ['--output=yaml', 'pods'], ['pods', '--output', 'yaml']]) {
      const p = parseFlags(args, defs);
      expect(p.values.get('output')).toBe('yaml');
      expect(p.positional).toEqual(['pods']);
    }
  });
  it('groups booleans, repeats string arrays, stops at --', () => {
    const p = parseFlags(['-it', 'x', '--from-literal=a=1', '--from-literal', 'b=2', '--replicas=3', '--', 'sh', '-c', 'ls -l'], defs);
    expect(p.values.get('stdin')).toBe(true);
    expect(p.values.get('tty')).toBe(true);
    expect(p.values.get('from-literal')).toEqual(['a=1', 'b=2']);
    expect(p.values.get('replicas')).toBe(3);
    expect(p.afterDash).toEqual(['sh', '-c', 'ls -l']);
  });
  it("reports pflag's errors", () => {
    const err = (args: string[]) => {
      try {
        parseFlags(args, defs);
      } catch (e) {
        return (e as FlagError).message;
      }
      return '';
    };
    expect(err(['--nope'])).toBe('unknown flag: --nope');
    expect(err(['-x'])).toBe("unknown shorthand flag: 'x' in -x");
    expect(err(['-itx'])).toBe("unknown shorthand flag: 'x' in -itx");
    expect(err(['--output'])).toBe('flag needs an argument: --output');
    expect(err(['--replicas=three'])).toBe('invalid argument "three" for "--replicas" flag: strconv.ParseInt: parsing "three": invalid syntax');
  });
});

describe('label selectors (apimachinery labels.Parse)', () => {
  const l = { app: 'web', tier: 'front' };
  it('matches =, ==, !=, in, notin, exists, !exists', () => {
    const m = (s: string) => selectorMatches(parseSelector(s), l);
    expect(m('app=web')).toBe(true);
    expect(m('app==web,tier=front')).toBe(true);
    expect(m('app!=web')).toBe(false);
    expect(m('app in (db, web)')).toBe(true);
    expect(m('tier notin (front)')).toBe(false);
    expect(m('tier')).toBe(true);
    expect(m('!tier')).toBe(false);
    expect(m('missing!=x')).toBe(true);
  });
  it('rejects malformed selectors with kubectl text', () => {
    expect(() => parseSelector('app in (web')).toThrow(KubectlError);
  });
});

describe('cobra suggestions', () => {
  it('suggests by edit distance and prefix', () => {
    expect(suggestionsFor('gte')).toEqual(['get']);
    expect(suggestionsFor('lgos')).toEqual(['logs']);
    expect(suggestionsFor('desc')).toEqual(['describe']);
    expect(suggestionsFor('zzzzzz')).toEqual([]);
  });
});

const VERBS = ['get', 'describe', 'apply', 'create', 'delete', 'label', 'annotate', 'scale', 'expose', 'run', 'exec', 'logs', 'rollout', 'edit', 'api-resources', 'cluster-info', 'version', 'config', 'explain', 'frob'];
const WORDS = ['pods', 'svc', 'po/x', 'deploy', 'all', 'web', '-n', 'kube-system', '-A', '-o', 'yaml', 'wide', 'jsonpath={.items[', 'custom-columns=A', '-l', 'app in (', '--replicas=x', '-f', 'nope.yaml', '-', '--', 'sh', '-it', '--tcp=80:x', 'service', 'clusterip', 'status', 'deployment/web', '--image=', 'k=v', 'k-', '--sort-by=.x[', '--field-selector', 'bad', '-w', '--dry-run=maybe'];

describe('kubectl never throws', () => {
  it('random argument lists end in text and an exit code', () => {
    const sim = createSimulation(null, { seed: 5 });
    let x = 12345;
    const r = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296);
    const ctx = sim.shell.contextFor({ kind: 'workstation' as const }, 'kubectl', { stdin: 'garbage: [', cwd: '/home/learner', interactive: false });
    for (let i = 0; i < 400; i++) {
      const args = [VERBS[Math.floor(r() * VERBS.length)], ...Array.from({ length: Math.floor(r() * 5) }, () => WORDS[Math.floor(r() * WORDS.length)])];
      let outcome;
      expect(() => (outcome = kubectlCommand.run(args, ctx)), args.join(' ')).not.toThrow();
      const o = outcome as unknown as { exitCode?: number; streaming?: boolean; editing?: boolean; stderr?: string };
      if (o.streaming) (outcome as unknown as { interrupt(): void }).interrupt();
      else if (!o.editing) {
        expect(typeof o.exitCode).toBe('number');
        if (o.exitCode !== 0) expect(o.stderr, args.join(' ')).not.toBe('');
      }
    }
  });
});

describe('determinism and snapshots', () => {
  const lines = ['kubectl create deployment web --image=nginx --replicas=3', 'kubectl expose deploy web --port=80', 'kubectl get pods -o wide', 'kubectl get svc,ep', 'kubectl describe svc web'];
  it('same seed and commands give the same bytes', () => {
    const a = createSimulation(null, { seed: 9 });
    const b = createSimulation(null, { seed: 9 });
    for (const l of lines) expect(a.run(l)).toEqual(b.run(l));
  });
  it('a restored snapshot answers like the original', () => {
    const a = createSimulation(null, { seed: 9 });
    for (const l of lines.slice(0, 2)) a.run(l);
    const b = Simulation.restore(JSON.parse(JSON.stringify(a.snapshot())));
    for (const l of lines.slice(2)) expect(b.run(l)).toEqual(a.run(l));
  });
});

describe('kubeconfig', () => {
  it('set-context --current --namespace changes the default namespace and survives a snapshot', () => {
    const a = createSimulation(null, { seed: 4 });
    expect(a.run('kubectl config set-context --current --namespace=kube-system').stdout).toBe('Context "kubernetes-admin@kubernetes" modified.\n');
    expect(a.run('kubectl get svc -o name').stdout).toBe('service/kube-dns\n');
    const b = Simulation.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect(b.run('kubectl config get-contexts').stdout).toBe('CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n*         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   kube-system\n');
    expect(b.run('kubectl get svc -o name').stdout).toBe('service/kube-dns\n');
    expect(b.run('kubectl get svc -n default -o name').stdout).toBe('service/kubernetes\n');
  });
});

import { naturalLess } from '../../../engine/commands/kubectl/get';
describe('--sort-by order (sortorder.NaturalLess)', () => {
  it('compares digit runs as numbers', () => {
    const xs = ['10.244.1.10', '10.244.1.9', 'pod-10', 'pod-2', 'pod-02', 'a', 'pod-1'];
    expect([...xs].sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0))).toEqual(['10.244.1.9', '10.244.1.10', 'a', 'pod-1', 'pod-2', 'pod-02', 'pod-10']);
  });
});

describe('kubectl run --overrides (cmdutil.Merge: a JSON merge patch on the generated Pod)', () => {
  it('pins the node and keeps the generated fields; bad JSON is refused', () => {
    const sim = createSimulation(null, { seed: 1 });
    expect(sim.run(`kubectl run probe --image=busybox:1.36 --overrides='{"spec":{"nodeName":"node-2"}}' -- sleep 3600`)).toEqual({ stdout: 'pod/probe created\n', stderr: '', exitCode: 0 });
    const pod = sim.get('Pod', 'default', 'probe')!;
    expect(pod.spec.nodeName).toBe('node-2');
    expect(pod.spec.containers[0]).toMatchObject({ name: 'probe', image: 'busybox:1.36', args: ['sleep', '3600'] });
    expect(pod.metadata.labels).toEqual({ run: 'probe' });
    expect(sim.run(`kubectl run bad --image=nginx --overrides='{nope'`)).toEqual({ stdout: '', stderr: 'error: Invalid JSON Patch\n', exitCode: 1 });
  });
});
