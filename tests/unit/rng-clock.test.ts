import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/cluster/rng';
import { humanDuration } from '../../engine/cluster/clock';

describe('Rng', () => {
  it('is deterministic per seed and resumes from a saved state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    const saved = a.state();
    const next = a.next();
    expect(new Rng(saved).next()).toBe(next);
    expect(new Rng(43).next()).not.toBe(seqA[0]);
  });

  it('draws name suffixes from apimachinery rand alphabet', () => {
    const s = new Rng(7).kubeString(200);
    expect(s).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{200}$/);
  });
});

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  const cases: [number, string][] = [
    [0, '0s'], [59_000, '59s'], [119_000, '119s'], [120_000, '2m'], [150_000, '2m30s'],
    [600_000, '10m'], [3 * 3600_000 - 1000, '179m'], [3 * 3600_000, '3h'], [3.5 * 3600_000, '3h30m'],
    [8 * 3600_000, '8h'], [47 * 3600_000, '47h'], [51 * 3600_000, '2d3h'], [8 * 86400_000, '8d'],
    [400 * 86400_000, '400d'], [731 * 86400_000, '2y1d'], [9 * 365 * 86400_000, '9y'],
  ];
  it.each(cases)('%d ms → %s', (ms, want) => expect(humanDuration(ms)).toBe(want));
});
