/**
 * The virtual clock never leaves the range of JavaScript Dates (issue 13): no advance, set
 * or restored snapshot makes `iso()` throw or an age print "Infinityy".
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH, MAX_DATE_MS, VirtualClock, humanDuration } from '../../../engine/cluster/clock';
import { createSimulation } from '../../../engine';

const HOSTILE = [Infinity, -Infinity, NaN, 1e308, Number.MAX_VALUE, MAX_DATE_MS, DEFAULT_EPOCH + 101 * 366 * 86400_000, -1, 0];

describe('VirtualClock', () => {
  it('stops at its horizon: the start + 100 years', () => {
    const c = new VirtualClock(DEFAULT_EPOCH);
    expect(c.horizon).toBe(Date.UTC(2125, 0, 15, 9, 0, 0));
    c.advance(1e308);
    expect(c.now()).toBe(c.horizon);
    expect(c.remaining()).toBe(0);
    expect(c.iso()).toBe('2125-01-15T09:00:00Z');
    c.advance(1000);
    expect(c.now()).toBe(c.horizon);
  });

  it.each(HOSTILE)('advance(%d) keeps a valid Date', (ms) => {
    const c = new VirtualClock(DEFAULT_EPOCH);
    c.advance(ms);
    expect(Number.isFinite(c.now())).toBe(true);
    expect(c.now()).toBeGreaterThanOrEqual(DEFAULT_EPOCH);
    expect(c.now()).toBeLessThanOrEqual(c.horizon);
    expect(() => c.iso()).not.toThrow();
  });

  it.each(HOSTILE)('set(%d) keeps a valid Date', (ms) => {
    const c = new VirtualClock(DEFAULT_EPOCH);
    c.set(ms);
    expect(Number.isFinite(c.now())).toBe(true);
    expect(Math.abs(c.now())).toBeLessThanOrEqual(MAX_DATE_MS);
    expect(c.now()).toBeLessThanOrEqual(c.horizon);
    expect(() => c.iso()).not.toThrow();
  });

  it('a saved time beyond the horizon, or not a number, is brought back', () => {
    expect(new VirtualClock(8e15, DEFAULT_EPOCH).now()).toBe(Date.UTC(2125, 0, 15, 9, 0, 0));
    expect(new VirtualClock(NaN, DEFAULT_EPOCH).now()).toBe(DEFAULT_EPOCH);
    expect(new VirtualClock(Infinity, DEFAULT_EPOCH).now()).toBe(DEFAULT_EPOCH);
  });

  it('a start near the end of the Date range still has a valid horizon', () => {
    const c = new VirtualClock(MAX_DATE_MS - 1000);
    expect(c.horizon).toBe(MAX_DATE_MS);
    c.advance(Infinity);
    expect(c.iso()).toBe('+275760-09-13T00:00:00Z');
  });
});

describe('Simulation.advance', () => {
  it.each([Infinity, NaN, 1e308, -5])('advance(%d) leaves a working cluster', (ms) => {
    const sim = createSimulation(null, { seed: 1 });
    sim.run('kubectl run t --image=busybox:1.36 --restart=Never -- sleep 3600');
    sim.advance(ms);
    const now = sim.clock.now();
    expect(now).toBeLessThanOrEqual(sim.clock.horizon);
    const r = sim.run('kubectl get pods');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\nt +\d\/1 +\w+ +\d+ +(\d+[smhdy])+\n$/);
    expect(humanDuration(sim.clock.now() - now)).not.toMatch(/Infinity|NaN/);
  });

  it('a jump past the horizon ends at it, and the clock then stays put', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.advance(1e308);
    expect(sim.clock.now()).toBe(sim.clock.horizon);
    sim.advance(60_000);
    expect(sim.clock.now()).toBe(sim.clock.horizon);
    expect(sim.run('date').stdout).toMatch(/ 2125\n$/);
  });
});
