/** The virtual filesystem: per-host trees, derived files from providers, events, persistence. */
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import type { HostRef, SimEvent } from '../../../engine/types';
import { resolvePath, normalizePath } from '../../../engine/hosts/vfs';

const ws: HostRef = { kind: 'workstation' };
const node1: HostRef = { kind: 'node', node: 'node-1' };

describe('paths', () => {
  it('normalises and resolves', () => {
    expect(normalizePath('/a//b/./c/../d/')).toBe('/a/b/d');
    expect(normalizePath('/../..')).toBe('/');
    expect(resolvePath('/home/learner', '~/x/../y')).toBe('/home/learner/y');
    expect(resolvePath('/tmp', '../etc')).toBe('/etc');
    expect(resolvePath('/', 'a', '/root')).toBe('/a');
  });
});

describe('VirtualFS', () => {
  it('keeps trees per host with directories and stat info', () => {
    const sim = createSimulation(null, { seed: 1 });
    const fs = sim.fs;
    fs.write(ws, '/home/learner/web.yaml', 'kind: Service\n');
    expect(fs.read(ws, '/home/learner/web.yaml')).toBe('kind: Service\n');
    expect(fs.read(node1, '/home/learner/web.yaml')).toBeUndefined();
    expect(fs.isDir(ws, '/home/learner')).toBe(true);
    expect(fs.mkdir(ws, '/home/learner/a/b')).toBe(false);
    expect(fs.mkdir(ws, '/home/learner/a/b', true)).toBe(true);
    expect(fs.list(ws, '/home/learner')!.filter((e) => !e.name.startsWith('.')).map((e) => [e.name, e.type, e.size])).toEqual([['a', 'dir', 4096], ['web.yaml', 'file', 14]]);
    expect(fs.stat(ws, '/home/learner/web.yaml')).toMatchObject({ type: 'file', size: 14, derived: false, mtime: sim.clock.now() });
    expect(fs.exists(ws, '/nope')).toBe(false);
    expect(fs.remove(ws, '/home/learner/a')).toBe(false); // not empty
    expect(fs.remove(ws, '/home/learner/a', true)).toBe(true);
    expect(fs.remove(ws, '/tmp', true)).toBe(false); // base directory
    expect(fs.list(ws, '/home/learner/web.yaml')).toBeUndefined();
  });

  it('serves derived files from providers, on matching hosts only', () => {
    const sim = createSimulation(null, { seed: 1 });
    let calls = 0;
    sim.fs.provide((h) => h.kind === 'node', '/opt/netlab-test/10-test.conflist', (h) => {
      calls++;
      return `{"name":"${h.kind === 'node' ? h.node : ''}"}\n`;
    });
    sim.shell.enter(node1);
    expect(sim.run('ls /opt/netlab-test; cat /opt/netlab-test/10-test.conflist')).toEqual({ stdout: '10-test.conflist\n{"name":"node-1"}\n', stderr: '', exitCode: 0 });
    expect(sim.run('rm /opt/netlab-test/10-test.conflist').exitCode).toBe(1);
    expect(sim.run('exit 0').exitCode).toBe(0);
    expect(sim.run('cat /opt/netlab-test/10-test.conflist')).toEqual({ stdout: '', stderr: 'cat: /opt/netlab-test/10-test.conflist: No such file or directory\n', exitCode: 1 });
    expect(calls).toBeGreaterThan(0);
    // a learner's write wins over the derived content
    sim.fs.write(node1, '/opt/netlab-test/10-test.conflist', 'edited\n');
    expect(sim.fs.read(node1, '/opt/netlab-test/10-test.conflist')).toBe('edited\n');
    expect(sim.run('cat /etc/hostname')).toEqual({ stdout: 'workstation\n', stderr: '', exitCode: 0 });
  });

  it('fires a files event for workstation writes (the editor follows redirections)', () => {
    const sim = createSimulation(null, { seed: 1 });
    const events: SimEvent[] = [];
    sim.on((e) => {
      if (e.type === 'files') events.push(e);
    });
    sim.run('echo "kind: Pod" > pod.yaml');
    sim.run('rm pod.yaml');
    sim.shell.enter(node1);
    sim.run('echo x > /root/x');
    expect(events).toEqual([
      { type: 'files', paths: ['/home/learner/pod.yaml'] },
      { type: 'files', paths: ['/home/learner/pod.yaml'] },
      { type: 'files', paths: ['/home/learner/pod.yaml'] },
    ]);
  });

  it('round-trips through snapshots, and reads the older flat format', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.run('mkdir -p ~/empty/dir; echo data > ~/f.txt');
    sim.shell.enter(node1);
    sim.run('echo n > /tmp/n');
    const snap = JSON.parse(JSON.stringify(sim.snapshot()));
    const back = Simulation.restore(snap);
    expect(back.fs.read(ws, '/home/learner/f.txt')).toBe('data\n');
    expect(back.fs.isDir(ws, '/home/learner/empty/dir')).toBe(true);
    expect(back.fs.read(node1, '/tmp/n')).toBe('n\n');
    back.fs.restore({ workstation: { '/home/learner/old.yaml': 'x' } });
    expect(back.fs.read(ws, '/home/learner/old.yaml')).toBe('x');
  });

  it('seeds scenario files into the home directory', () => {
    const sim = createSimulation('files:\n  web.yaml: "kind: Service\\n"\n', { seed: 1 });
    expect(sim.run('ls; cat web.yaml')).toEqual({ stdout: 'web.yaml\nkind: Service\n', stderr: '', exitCode: 0 });
  });
});
