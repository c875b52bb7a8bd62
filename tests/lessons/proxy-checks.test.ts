/**
 * Derived values about kube-proxy's rules: a Service port's chain names (proxyChain), the
 * same names the node's `nft list` / `iptables-save` print, and a chain's live rule count
 * on a node (ruleCount), which follows hand edits and kube-proxy's resync.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../engine';
import { derive, evaluate, validateTasksDoc } from '../../engine/grading';

const scenario = (mode: string) => `
cluster: { cni: calico, proxyMode: ${mode} }
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: web }
    spec:
      replicas: 3
      selector: { matchLabels: { app: web } }
      template:
        metadata: { labels: { app: web } }
        spec:
          containers: [{ name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web }
    spec:
      clusterIP: 10.96.0.20
      selector: { app: web }
      ports: [{ port: 80 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: web-np }
    spec:
      type: NodePort
      selector: { app: web }
      ports: [{ port: 80, nodePort: 30080 }]
  - apiVersion: v1
    kind: Service
    metadata: { name: orders }
    spec:
      selector: { app: orders }
      ports: [{ port: 8080 }]
`;

function lab(mode: string) {
  const sim = createSimulation(scenario(mode), { seed: 1 });
  sim.advance(5000);
  return sim;
}

const on = (sim: ReturnType<typeof lab>, node: string, cmd: string) => {
  sim.run(`ssh ${node}`);
  const r = sim.run(cmd);
  sim.run('exit');
  return r.stdout;
};

function podsOn(sim: ReturnType<typeof lab>, node: string): string[] {
  return sim.store.list('Pod', 'default').filter((p) => p.spec?.nodeName === node && p.metadata.labels?.app === 'web').map((p) => p.status?.podIP as string);
}

describe('proxyChain in nftables mode', () => {
  it("names the chains nft lists: the Service's, its external chain, its endpoints' (by node or IP)", () => {
    const sim = lab('nftables');
    const table = on(sim, 'node-1', 'nft list table ip kube-proxy');
    const svc = derive(sim, { proxyChain: { service: 'web', chain: 'service' } });
    expect(svc.value).toBe('service-PFISGYVC-default/web/tcp/');
    expect(table).toContain(`10.96.0.20 . tcp . 80 : goto ${svc.value}`);
    const ext = derive(sim, { proxyChain: { service: 'web-np', chain: 'external' } });
    expect(ext.value).toMatch(/^external-[A-Z2-7]{8}-default\/web-np\/tcp\/$/);
    expect(table).toContain(`tcp . 30080 : goto ${ext.value}`);
    const ips = podsOn(sim, 'node-1');
    expect(ips.length).toBeGreaterThan(0);
    const ep = derive(sim, { proxyChain: { service: 'web', chain: 'endpoint', node: 'node-1' } });
    expect(ep.oneOf).toEqual(ips.map((ip) => expect.stringMatching(new RegExp(`^endpoint-[A-Z2-7]{8}-default/web/tcp/__${ip.replace(/\./g, '\\.')}/80$`))));
    for (const name of ep.oneOf!) expect(table).toContain(`chain ${name} {`);
    const byIp = derive(sim, { proxyChain: { service: 'web', chain: 'endpoint', ip: ips[0] } });
    expect(byIp.oneOf).toEqual([ep.oneOf![0]]);
  });

  it('takes the full name or the prefix and hash alone as an answer', () => {
    const sim = lab('nftables');
    const ip = podsOn(sim, 'node-1')[0];
    const task = [{ id: 'q', title: 'q', kind: 'question' as const, hints: ['a', 'b'], check: { answer: { proxyChain: { service: 'web', chain: 'endpoint' as const, ip } } }, solution: { commands: [] } }];
    const name = derive(sim, task[0].check.answer).value!;
    for (const given of [name, name.slice(0, 'endpoint-'.length + 8), ` ${name.toLowerCase()} `]) {
      sim.answers.q = given;
      expect(evaluate(sim, task[0].check, { taskId: 'q', tasks: task })).toEqual({ ok: true });
    }
    sim.answers.q = 'service-PFISGYVC-default/web/tcp/';
    expect(evaluate(sim, task[0].check, { taskId: 'q', tasks: task }).ok).toBe(false);
  });

  it('explains what it cannot name', () => {
    const sim = lab('nftables');
    expect(derive(sim, { proxyChain: { service: 'web', chain: 'external' } }).reason).toBe('the Service web has no NodePort, external IP or load-balancer IP, so kube-proxy writes no external chain for it');
    expect(derive(sim, { proxyChain: { service: 'orders', chain: 'endpoint' } }).reason).toBe('the Service orders has no endpoints: its selector app=orders matches no Pod (Pods in default have app=web)');
    expect(derive(sim, { proxyChain: { service: 'web', chain: 'endpoint', node: 'control-plane' } }).reason).toBe('the Service web has no ready endpoint on control-plane');
    expect(derive(sim, { proxyChain: { service: 'nope', chain: 'service' } }).reason).toBe('the Service nope does not exist');
    expect(derive(sim, { proxyChain: { service: 'web', port: 443, chain: 'service' } }).reason).toBe('the Service web has no port 443');
  });
});

describe('proxyChain in the other modes', () => {
  it('names KUBE-SVC/KUBE-EXT/KUBE-SEP chains in iptables mode, as iptables-save prints them', () => {
    const sim = lab('iptables');
    const save = on(sim, 'node-1', 'iptables-save -t nat');
    expect(derive(sim, { proxyChain: { service: 'web', chain: 'service' } }).value).toBe('KUBE-SVC-LOLE4ISW44XBNF3G');
    const ext = derive(sim, { proxyChain: { service: 'web-np', chain: 'external' } }).value!;
    expect(save).toContain(`-j ${ext}`);
    const ip = podsOn(sim, 'node-2')[0];
    const sep = derive(sim, { proxyChain: { service: 'web', chain: 'endpoint', ip } }).value!;
    expect(save).toContain(`-A ${sep} -p tcp -m comment --comment "default/web" -m tcp -j DNAT --to-destination ${ip}:80`);
  });

  it('has nothing to name in IPVS mode', () => {
    const sim = lab('ipvs');
    expect(derive(sim, { proxyChain: { service: 'web', chain: 'service' } }).reason).toBe('kube-proxy runs in ipvs mode here: it writes no per-Service chains');
  });
});

describe('ruleCount', () => {
  it('counts the rules of a chain on a node as they are now: a hand edit, then the resync', () => {
    const sim = lab('nftables');
    const chain = 'service-PFISGYVC-default/web/tcp/';
    expect(derive(sim, { ruleCount: { node: 'node-1', chain } }).value).toBe('2');
    expect(derive(sim, { ruleCount: { node: 'node-1', chain: 'services' } }).value).toBe('2');
    sim.run('ssh node-1');
    const listed = sim.run(`nft -a list chain ip kube-proxy ${chain}`).stdout;
    const handle = /numgen .* # handle (\d+)/.exec(listed)![1];
    expect(sim.run(`nft delete rule ip kube-proxy ${chain} handle ${handle}`).exitCode).toBe(0);
    expect(derive(sim, { ruleCount: { node: 'node-1', chain } }).value).toBe('1');
    expect(derive(sim, { ruleCount: { node: 'node-2', chain } }).value).toBe('2');
    sim.run('sleep 30');
    expect(derive(sim, { ruleCount: { node: 'node-1', chain } }).value).toBe('2');
  });

  it('reads iptables chains with table:, and says why it cannot count', () => {
    const ipt = lab('iptables');
    expect(derive(ipt, { ruleCount: { node: 'node-1', chain: 'KUBE-SVC-LOLE4ISW44XBNF3G', table: 'nat' } }).value).toBe('4');
    expect(derive(ipt, { ruleCount: { node: 'node-1', chain: 'services' } }).reason).toBe('kube-proxy runs in iptables mode here: there is no ip kube-proxy table');
    expect(derive(ipt, { ruleCount: { node: 'node-9', chain: 'services' } }).reason).toBe('there is no node node-9');
    const nft = lab('nftables');
    expect(derive(nft, { ruleCount: { node: 'node-1', chain: 'KUBE-SERVICES', table: 'nat' } }).reason).toBe('node-1 has no chain KUBE-SERVICES in its nat table');
    expect(derive(nft, { ruleCount: { node: 'node-1', chain: 'nope' } }).reason).toBe('node-1 has no chain nope in the table ip kube-proxy');
  });

  it('only looks: counting in a table the node lacks does not create it', () => {
    const sim = lab('nftables');
    const before = on(sim, 'node-1', 'nft list tables');
    derive(sim, { ruleCount: { node: 'node-1', chain: 'PREROUTING', table: 'raw' } });
    derive(sim, { ruleCount: { node: 'node-1', chain: 'PREROUTING', table: 'mangle' } });
    expect(on(sim, 'node-1', 'nft list tables')).toBe(before);
  });
});

describe('validation', () => {
  it('checks the new derived values', () => {
    const doc = {
      tasks: [
        { id: 'a', title: 'a', kind: 'question', question: '?', hints: ['x', 'y'], check: { answer: { proxyChain: { service: 'web', chain: 'pod', node: 'n', extra: 1 } } }, solution: { commands: [] } },
        { id: 'b', title: 'b', kind: 'question', question: '?', hints: ['x', 'y'], check: { answer: { ruleCount: { chain: 'services', table: 'broute' } } }, solution: { commands: [] } },
        { id: 'c', title: 'c', kind: 'question', question: '?', hints: ['x', 'y'], check: { answer: { proxyChain: { service: 'web', chain: 'service', node: 'node-1' } } }, solution: { commands: [] } },
      ],
    };
    expect(validateTasksDoc(doc).problems.map((p) => `${p.path.join('.')}: ${p.message}`)).toEqual([
      'tasks.0.check.answer.proxyChain.extra: unknown key "extra" in proxyChain (known: service, namespace, port, chain, node, ip)',
      'tasks.0.check.answer.proxyChain.chain: `chain:` is service, external or endpoint',
      'tasks.0.check.answer.proxyChain: `node:` and `ip:` only narrow `chain: endpoint`',
      'tasks.1.check.answer.ruleCount.node: needs `node:` (the node whose rules are counted)',
      'tasks.1.check.answer.ruleCount.table: `table:` is kube-proxy (nftables, the default) or an iptables table: nat, filter, mangle, raw',
      'tasks.2.check.answer.proxyChain: `node:` and `ip:` only narrow `chain: endpoint`',
    ]);
  });
});
