import { describe, expect, it } from 'vitest';
import { orderTargets } from './target-order';

interface Target {
  readonly name: string;
  readonly weight: number;
  readonly priority?: number;
}

const names = (targets: Target[]) => targets.map((target) => target.name);

/** A random source that returns the given values in turn. */
function sequence(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length]!;
}

describe('orderTargets', () => {
  it('keeps the plan order when no target has a priority, without drawing randomness', () => {
    const targets = [
      { name: 'a', weight: 5 },
      { name: 'b', weight: 1 },
      { name: 'c', weight: 1 },
    ];
    const random = () => {
      throw new Error('not needed');
    };
    expect(names(orderTargets(targets, random))).toEqual(['a', 'b', 'c']);
  });

  it('tries lower priorities first', () => {
    const targets = [
      { name: 'backup', weight: 1, priority: 2 },
      { name: 'main', weight: 1, priority: 1 },
    ];
    expect(names(orderTargets(targets, Math.random))).toEqual(['main', 'backup']);
  });

  it('picks inside a priority group in proportion to weight, the rest of the group next', () => {
    const targets = [
      { name: 'heavy', weight: 3, priority: 0 },
      { name: 'light', weight: 1, priority: 0 },
      { name: 'fallback', weight: 1, priority: 1 },
    ];
    // total weight 4: a draw below 3/4 picks heavy, at or above picks light.
    expect(names(orderTargets(targets, sequence(0.74)))).toEqual(['heavy', 'light', 'fallback']);
    expect(names(orderTargets(targets, sequence(0.75)))).toEqual(['light', 'heavy', 'fallback']);
  });

  it('spreads load by weight over many picks', () => {
    const targets = [
      { name: 'a', weight: 3, priority: 0 },
      { name: 'b', weight: 1, priority: 0 },
    ];
    let state = 42;
    // A small deterministic LCG so the proportion check cannot flake.
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let first = 0;
    for (let index = 0; index < 4_000; index++) {
      if (orderTargets(targets, random)[0]!.name === 'a') first++;
    }
    expect(first / 4_000).toBeGreaterThan(0.72);
    expect(first / 4_000).toBeLessThan(0.78);
  });

  it('counts an unset weight of 0 as 1', () => {
    const targets = [
      { name: 'a', weight: 0, priority: 0 },
      { name: 'b', weight: 0, priority: 0 },
    ];
    expect(names(orderTargets(targets, sequence(0.6)))).toEqual(['b', 'a']);
  });

  it('places a target without priority at its list position among prioritised ones', () => {
    const targets: Target[] = [
      { name: 'first', weight: 1 },
      { name: 'late', weight: 1, priority: 5 },
      { name: 'second', weight: 1 },
    ];
    expect(names(orderTargets(targets, Math.random))).toEqual(['first', 'second', 'late']);
  });
});
