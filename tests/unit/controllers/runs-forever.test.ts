/**
 * Which container commands keep running (the kubelet's model, engine/controllers/images.ts):
 * servers a learner starts from a client image stay up; a one-shot client ends.
 */
import { describe, expect, it } from 'vitest';
import { runsForever } from '../../../engine/controllers/images';

const shoot = 'nicolaka/netshoot:v0.13';

describe('runsForever: servers started by the command', () => {
  it('iperf3 -s serves until stopped, a client ends with its test', () => {
    expect(runsForever({ name: 'a', image: shoot, command: ['iperf3', '-s'] })).toBe(true);
    expect(runsForever({ name: 'a', image: shoot, args: ['iperf3', '--server', '-p', '5300'] })).toBe(true);
    expect(runsForever({ name: 'a', image: shoot, command: ['sh', '-c', 'iperf3 -s -p 5300'] })).toBe(true);
    expect(runsForever({ name: 'a', image: shoot, command: ['iperf3', '-c', 'srv', '-t', '5'] })).toBe(false);
    expect(runsForever({ name: 'a', image: shoot, command: ['sh', '-c', 'iperf3 -c srv'] })).toBe(false);
  });
  it('nc -l with its flags grouped (-lk) keeps listening', () => {
    expect(runsForever({ name: 'a', image: shoot, command: ['sh', '-c', 'nc -lk -p 7000'] })).toBe(true);
    expect(runsForever({ name: 'a', image: shoot, command: ['sh', '-c', 'nc -l -p 7000'] })).toBe(true);
  });
});
