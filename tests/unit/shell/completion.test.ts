/** Tab completion: command names on this host, files from the VFS, variables, a command's own completer. */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

describe('completion', () => {
  const sim = createSimulation(null, { seed: 1 });
  sim.run('mkdir -p manifests; touch web.yaml web-svc.yaml .hidden');
  it('completes command names available here', () => {
    expect(sim.complete('ech')).toEqual({ from: 0, candidates: ['echo'] });
    expect(sim.complete('ls | gr')).toEqual({ from: 5, candidates: ['grep'] });
    expect(sim.complete('A=1 wh')).toEqual({ from: 4, candidates: ['which', 'whoami'] });
  });
  it('completes file names, directories with a slash', () => {
    expect(sim.complete('cat we')).toEqual({ from: 4, candidates: ['web-svc.yaml', 'web.yaml'] });
    expect(sim.complete('cat ma')).toEqual({ from: 4, candidates: ['manifests/'] });
    expect(sim.complete('cat /et')).toEqual({ from: 4, candidates: ['/etc/'] });
    expect(sim.complete('cat .h')).toEqual({ from: 4, candidates: ['.hidden'] });
    expect(sim.complete('cd ')).toEqual({ from: 3, candidates: ['manifests/'] });
    expect(sim.complete('echo x > w')).toEqual({ from: 9, candidates: ['web-svc.yaml', 'web.yaml'] });
  });
  it('completes variables and node names for ssh', () => {
    expect(sim.complete('echo $HO')).toEqual({ from: 5, candidates: ['$HOME', '$HOSTNAME'] });
    expect(sim.complete('ssh no')).toEqual({ from: 4, candidates: ['node-1', 'node-2'] });
  });
  it('uses the cursor position', () => {
    expect(sim.complete('ech web', 3)).toEqual({ from: 0, candidates: ['echo'] });
  });
});
