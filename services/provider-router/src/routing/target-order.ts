import { type RandomSource } from './retry-policy';

/** What ordering needs of a target. */
export interface Weighted {
  readonly weight: number;
  /** Lower is tried first; undefined means the target's position in the plan. */
  readonly priority?: number | undefined;
}

/**
 * The order to try targets in: priority groups lowest first; inside a group a weighted random
 * order (each next pick proportional to weight among those left), so load spreads by weight and
 * a failed pick still falls to the rest of its group before the next priority.
 */
export function orderTargets<T extends Weighted>(targets: readonly T[], random: RandomSource): T[] {
  const groups = new Map<number, T[]>();
  targets.forEach((target, index) => {
    const priority = target.priority ?? index;
    const group = groups.get(priority);
    if (group) group.push(target);
    else groups.set(priority, [target]);
  });
  return [...groups.entries()]
    .sort(([left], [right]) => left - right)
    .flatMap(([, group]) => weightedOrder(group, random));
}

function weightedOrder<T extends Weighted>(group: readonly T[], random: RandomSource): T[] {
  if (group.length === 1) return [...group];
  const left = [...group];
  const ordered: T[] = [];
  while (left.length > 0) {
    // A weight of 0 (unset on the wire) counts as 1.
    const total = left.reduce((sum, target) => sum + Math.max(1, target.weight), 0);
    let point = random() * total;
    let index = 0;
    while (index < left.length - 1) {
      point -= Math.max(1, left[index]!.weight);
      if (point < 0) break;
      index += 1;
    }
    ordered.push(...left.splice(index, 1));
  }
  return ordered;
}
