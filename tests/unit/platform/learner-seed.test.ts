/**
 * The learner's own seed for a lab that draws its faults (lib/persistence.ts learnerSeed):
 * drawn once, kept across visits and a start-over, redrawn when what is stored is not a
 * seed, and still given (for this visit) when storage refuses it.
 */
import { describe, expect, it } from 'vitest';
import { learnerSeed, MAX_LEARNER_SEED, randomSeed, removeSave, seedKey } from '../../../lib/persistence';
import { MemoryStore } from './memory-store';

describe('learnerSeed', () => {
  it('draws once per lesson and keeps it, also after a start-over', () => {
    const store = new MemoryStore();
    let draws = 0;
    const draw = () => ++draws * 1000;
    expect(learnerSeed(store, '85-capstone-break-and-fix', draw)).toBe(1000);
    expect(learnerSeed(store, '85-capstone-break-and-fix', draw)).toBe(1000);
    removeSave(store, '85-capstone-break-and-fix');
    expect(learnerSeed(store, '85-capstone-break-and-fix', draw)).toBe(1000);
    expect(store.getItem(seedKey('85-capstone-break-and-fix'))).toBe('1000');
    // another lesson gets its own
    expect(learnerSeed(store, '86-another', draw)).toBe(2000);
    expect(draws).toBe(2);
  });

  it('redraws a stored value that is not a seed, and brings a drawn value into range', () => {
    const store = new MemoryStore();
    for (const bad of ['', 'x', '0', '-3', '1.5', String(MAX_LEARNER_SEED + 1)]) {
      store.setItem(seedKey('l'), bad);
      expect(learnerSeed(store, 'l', () => 42)).toBe(42);
    }
    store.removeItem(seedKey('l'));
    expect(learnerSeed(store, 'l', () => 0)).toBe(1);
    store.removeItem(seedKey('l'));
    expect(learnerSeed(store, 'l', () => -7)).toBe(8);
  });

  it('without storage, or when it refuses, the seed lasts this visit', () => {
    expect(learnerSeed(null, 'l', () => 9)).toBe(9);
    const full = new MemoryStore();
    full.quota = 0;
    expect(learnerSeed(full, 'l', () => 9)).toBe(9);
    expect(full.getItem(seedKey('l'))).toBeNull();
  });

  it('randomSeed gives a seed in range from the crypto source', () => {
    for (let i = 0; i < 50; i++) {
      const s = randomSeed();
      expect(Number.isInteger(s) && s >= 1 && s <= MAX_LEARNER_SEED).toBe(true);
    }
  });
});
