/**
 * Hosts and contexts: the prompt on each host, `ssh` to nodes, `kubectl exec`-style
 * entering of containers (shell.enter), `exit` (bash prints "exit"/"logout" on stderr;
 * ssh adds "Connection to X closed."; kubectl adds "command terminated with exit code N"),
 * the tools each image carries, runIn/execIn, and persistence of the host stack.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import type { HostRef } from '../../../engine/types';
import { hostFlavour, hostTools, imageName, imageProfile, nslookupFlavour, hostPrompt } from '../../../engine/hosts/hosts';
import { createCommandTable } from '../../../engine/commands/registry';
import type { CommandTable, ExitHook } from '../../../engine/shell/command';

function cluster(commands?: CommandTable) {
  const sim = createSimulation(null, { seed: 3, commands });
  const pods: [string, string][] = [['bb', 'busybox:1.36'], ['web', 'docker.io/library/nginx:1.27'], ['ns', 'nicolaka/netshoot:v0.13'], ['cc', 'curlimages/curl:8.10.1'], ['ag', 'registry.k8s.io/e2e-test-images/agnhost:2.52'], ['app', 'ghcr.io/acme/app:1.0']];
  for (const [name, image] of pods) {
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'main', image, env: [{ name: 'GREETING', value: 'hi there' }] }, { name: 'side', image: 'busybox' }] } });
  }
  return sim;
}
const pod = (p: string, container = 'main'): HostRef => ({ kind: 'pod', namespace: 'default', pod: p, container });

describe('prompts and ssh', () => {
  it('shows user, host and cwd like bash and busybox', () => {
    const sim = cluster();
    expect(sim.prompt()).toBe('learner@workstation:~$ ');
    sim.run('mkdir -p ~/a/b && cd ~/a/b');
    expect(sim.prompt()).toBe('learner@workstation:~/a/b$ ');
    sim.run('cd /tmp');
    expect(sim.prompt()).toBe('learner@workstation:/tmp$ ');
    expect(sim.run('ssh node-1')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(sim.prompt()).toBe('root@node-1:~# ');
    expect(sim.run('hostname; whoami; pwd')).toEqual({ stdout: 'node-1\nroot\n/root\n', stderr: '', exitCode: 0 });
    expect(sim.run('exit')).toEqual({ stdout: '', stderr: 'logout\nConnection to node-1 closed.\n', exitCode: 0 });
    expect(sim.prompt()).toBe('learner@workstation:/tmp$ ');
    expect(hostPrompt(sim, pod('bb'), '/')).toBe('/ # ');
    expect(hostPrompt(sim, pod('bb'), '/root')).toBe('~ # ');
    expect(hostPrompt(sim, pod('web'), '/etc')).toBe('root@web:/etc# ');
  });
  it('resolves node names and addresses; unknown hosts fail like OpenSSH', () => {
    const sim = cluster();
    expect(sim.run('ssh foo')).toEqual({ stdout: '', stderr: 'ssh: Could not resolve hostname foo: Name or service not known\n', exitCode: 255 });
    expect(sim.run('ssh root@node-2 hostname')).toEqual({ stdout: 'node-2\n', stderr: '', exitCode: 0 });
    expect(sim.run(`ssh ${sim.settings.nodes[1].ip} 'echo $HOME; exit 4'`)).toEqual({ stdout: '/root\n', stderr: '', exitCode: 4 });
    expect(sim.run('ssh').stderr).toMatch(/^usage: ssh \[-46AaCfGgKkMNnqsTtVvXxYy\]/);
    expect(sim.prompt()).toBe('learner@workstation:~$ ');
  });
  it('cannot leave the workstation shell', () => {
    const sim = cluster();
    expect(sim.run('exit')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(sim.run('false; exit')).toEqual({ stdout: '', stderr: '', exitCode: 1 });
    expect(sim.shell.hosts).toEqual([{ kind: 'workstation' }]);
    expect(sim.run('echo still here')).toEqual({ stdout: 'still here\n', stderr: '', exitCode: 0 });
  });
});

describe('containers', () => {
  it('busybox: ash prompt and messages, no curl', () => {
    const sim = cluster();
    sim.shell.enter(pod('bb'), { via: 'kubectl' });
    expect(sim.prompt()).toBe('/ # ');
    expect(sim.run('curl http://web')).toEqual({ stdout: '', stderr: 'sh: curl: not found\n', exitCode: 127 });
    expect(sim.run('echo "open')).toEqual({ stdout: '', stderr: 'sh: syntax error: unterminated quoted string\n', exitCode: 2 });
    expect(sim.run('echo | | x')).toEqual({ stdout: '', stderr: 'sh: syntax error: unexpected "|"\n', exitCode: 2 });
    expect(sim.run('cd /nope')).toEqual({ stdout: '', stderr: "sh: cd: can't cd to /nope: No such file or directory\n", exitCode: 2 });
    expect(sim.run('cd /tmp; echo "$GREETING" > g; cat /tmp/g; hostname')).toEqual({ stdout: 'hi there\nbb\n', stderr: '', exitCode: 0 });
    expect(sim.prompt()).toBe('/tmp # ');
    expect(sim.run('history')).toEqual({ stdout: '   0 curl http://web\n   1 echo "open\n   2 echo | | x\n   3 cd /nope\n   4 cd /tmp; echo "$GREETING" > g; cat /tmp/g; hostname\n   5 history\n', stderr: '', exitCode: 0 });
    // busybox ash prints nothing on exit; kubectl reports a non-zero status
    expect(sim.run('exit 3')).toEqual({ stdout: '', stderr: 'command terminated with exit code 3\n', exitCode: 3 });
    expect(sim.prompt()).toBe('learner@workstation:~$ ');
    expect(sim.run('echo $?')).toEqual({ stdout: '3\n', stderr: '', exitCode: 0 });
    // the file stayed in the pod, not on the workstation
    expect(sim.fs.read(pod('bb'), '/tmp/g')).toBe('hi there\n');
    expect(sim.fs.read({ kind: 'workstation' }, '/tmp/g')).toBeUndefined();
  });
  it('debian nginx: bash prompt, curl but no ping', () => {
    const sim = cluster();
    sim.shell.enter(pod('web'), { via: 'kubectl' });
    expect(sim.prompt()).toBe('root@web:/# ');
    expect(sim.run('ping -c1 x')).toEqual({ stdout: '', stderr: 'bash: ping: command not found\n', exitCode: 127 });
    expect(hostTools(sim, pod('web')).has('curl')).toBe(true);
    // exit without a number returns the last status (127 from ping), which kubectl reports
    expect(sim.run('exit')).toEqual({ stdout: '', stderr: 'exit\ncommand terminated with exit code 127\n', exitCode: 127 });
  });
  it('derives tools and flavours from the container image', () => {
    const sim = cluster();
    expect(hostFlavour(sim, pod('bb'))).toBe('busybox');
    expect(hostFlavour(sim, pod('web'))).toBe('bash');
    expect(hostFlavour(sim, pod('web', 'side'))).toBe('busybox');
    expect(hostFlavour(sim, { kind: 'workstation' })).toBe('bash');
    expect(nslookupFlavour(sim, pod('bb'))).toBe('busybox');
    expect(nslookupFlavour(sim, pod('cc'))).toBe('busybox');
    expect(nslookupFlavour(sim, pod('ns'))).toBe('bind');
    expect(nslookupFlavour(sim, pod('ag'))).toBe('bind');
    expect(nslookupFlavour(sim, { kind: 'node', node: 'node-1' })).toBe('bind');
    const has = (h: HostRef, t: string) => hostTools(sim, h).has(t);
    expect([has(pod('bb'), 'curl'), has(pod('bb'), 'wget'), has(pod('bb'), 'nslookup'), has(pod('bb'), 'column')]).toEqual([false, true, true, false]);
    expect([has(pod('cc'), 'curl'), has(pod('ns'), 'dig'), has(pod('ns'), 'iptables'), has(pod('ns'), 'tcpdump')]).toEqual([true, true, true, true]);
    expect([has(pod('app'), 'curl'), has(pod('app'), 'ls'), has({ kind: 'workstation' }, 'kubectl'), has({ kind: 'workstation' }, 'iptables')]).toEqual([false, true, true, false]);
    // kubeadm's packages put kubectl on every node (without a kubeconfig it reaches for localhost:8080)
    expect([has({ kind: 'node', node: 'node-1' }, 'ipvsadm'), has({ kind: 'node', node: 'node-1' }, 'kubectl')]).toEqual([true, true]);
    expect(imageName('docker.io/library/busybox:1.36@sha256:abc')).toBe('busybox');
    expect(imageName('localhost:5000/team/tool:v1')).toBe('team/tool');
    expect(imageProfile('registry.k8s.io/e2e-test-images/agnhost:2.52').family).toBe('agnhost');
  });
  it('runIn and execIn run one command line without entering', () => {
    const sim = cluster();
    expect(sim.shell.runIn(pod('bb'), 'hostname; echo $HOME; pwd')).toEqual({ stdout: 'bb\n/root\n/\n', stderr: '', exitCode: 0 });
    expect(sim.shell.runIn(pod('bb'), 'cat', { stdin: 'piped\n' })).toEqual({ stdout: 'piped\n', stderr: '', exitCode: 0 });
    expect(sim.shell.execIn(pod('web'), ['sh', '-c', 'echo "$1 $2"', 'sh', 'a b', "it's"])).toEqual({ stdout: "a b it's\n", stderr: '', exitCode: 0 });
    expect(sim.shell.execIn(pod('bb'), ['nope'])).toEqual({ stdout: '', stderr: 'sh: nope: not found\n', exitCode: 127 });
    expect(sim.shell.hosts).toEqual([{ kind: 'workstation' }]);
  });
  it('runs exit hooks and keeps the stack through snapshots', () => {
    const testHook: ExitHook = (s, arg, code) => {
      s.api.delete('Pod', 'default', String(arg));
      return { stdout: `pod "${arg}" deleted (exit ${code})\n` };
    };
    const engine = createCommandTable();
    const commands: CommandTable = { ...engine, exitHook: (name) => (name === 'test-delete-pod' ? testHook : engine.exitHook(name)) };
    const sim = cluster(commands);
    sim.shell.enter(pod('cc'), { via: 'kubectl', exitHook: { name: 'test-delete-pod', arg: 'cc' } });
    sim.run('cd /tmp; X=1');
    const restored = Simulation.restore(JSON.parse(JSON.stringify(sim.snapshot())), { commands });
    // curlimages/curl runs as curl_user (uid 100): ash's prompt ends in $
    expect(restored.prompt()).toBe('/tmp $ ');
    expect(restored.run('echo $X; pwd')).toEqual({ stdout: '1\n/tmp\n', stderr: '', exitCode: 0 });
    const r = restored.run('exit');
    expect(r).toEqual({ stdout: 'pod "cc" deleted (exit 0)\n', stderr: '', exitCode: 0 });
    const gone = restored.store.get('Pod', 'default', 'cc');
    expect(gone === undefined || Boolean(gone.metadata.deletionTimestamp)).toBe(true);
    expect(restored.history.map((h) => [h.command, h.host.kind, h.exitCode])).toEqual([
      ['cd /tmp; X=1', 'pod', 0],
      ['echo $X; pwd', 'pod', 0],
      ['exit', 'pod', 0],
    ]);
  });
  it('a nested sh is left with exit', () => {
    const sim = cluster();
    sim.run('sh');
    expect(sim.shell.hosts.length).toBe(2);
    // the workstation's sh is dash, which (unlike an interactive bash) prints nothing on exit
    expect(sim.run('exit 5')).toEqual({ stdout: '', stderr: '', exitCode: 5 });
    expect(sim.shell.hosts.length).toBe(1);
  });
});

describe('container environment', () => {
  it('has the container env and kubelet service links for Services that existed at start (pkg/kubelet/envvars)', () => {
    const sim = createSimulation(null, { seed: 5 });
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'early-svc', namespace: 'default' }, spec: { clusterIP: '10.96.100.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] } });
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'headless', namespace: 'default' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } });
    sim.run('true');
    sim.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bb', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox', env: [{ name: 'MODE', value: 'test' }] }] } });
    sim.run('true');
    sim.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'late', namespace: 'default' }, spec: { clusterIP: '10.96.100.11', ports: [{ port: 8080 }] } });
    const host = { kind: 'pod' as const, namespace: 'default', pod: 'bb', container: 'c' };
    expect(sim.shell.runIn(host, 'env | grep -E "^(EARLY|LATE|HEADLESS|MODE)" | sort')).toEqual({
      stdout: [
        'EARLY_SVC_PORT=tcp://10.96.100.10:80',
        'EARLY_SVC_PORT_53_UDP=udp://10.96.100.10:53',
        'EARLY_SVC_PORT_53_UDP_ADDR=10.96.100.10',
        'EARLY_SVC_PORT_53_UDP_PORT=53',
        'EARLY_SVC_PORT_53_UDP_PROTO=udp',
        'EARLY_SVC_PORT_80_TCP=tcp://10.96.100.10:80',
        'EARLY_SVC_PORT_80_TCP_ADDR=10.96.100.10',
        'EARLY_SVC_PORT_80_TCP_PORT=80',
        'EARLY_SVC_PORT_80_TCP_PROTO=tcp',
        'EARLY_SVC_SERVICE_HOST=10.96.100.10',
        'EARLY_SVC_SERVICE_PORT=80',
        'EARLY_SVC_SERVICE_PORT_DNS=53',
        'EARLY_SVC_SERVICE_PORT_HTTP=80',
        'MODE=test',
        '',
      ].join('\n'),
      stderr: '',
      exitCode: 0,
    });
    expect(sim.shell.runIn(host, 'echo "[$TERM]"').stdout).toBe('[]\n');
    sim.shell.enter(host, { via: 'kubectl' });
    expect(sim.run('echo "[$TERM] $KUBERNETES_SERVICE_PORT"')).toEqual({ stdout: '[xterm] 443\n', stderr: '', exitCode: 0 });
  });
});
