import { type LimitMetric } from './limit-check';

/** A UTC budget period: its id (part of the counter key) and when it ends. */
export interface BudgetPeriod {
  readonly id: string;
  readonly endsAtMs: number;
}

/** The UTC day (`2026-11-25`) or month (`2026-11`) that `nowMs` falls in. */
export function budgetPeriodOf(metric: LimitMetric, nowMs: number): BudgetPeriod {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const monthId = `${year}-${String(month + 1).padStart(2, '0')}`;
  if (metric === 'usd_per_month') {
    return { id: monthId, endsAtMs: Date.UTC(year, month + 1, 1) };
  }
  const day = now.getUTCDate();
  return {
    id: `${monthId}-${String(day).padStart(2, '0')}`,
    endsAtMs: Date.UTC(year, month, day + 1),
  };
}

/** Budget counters outlive their period by a day so the spend stays readable after it ends. */
export const budgetKeyGraceMs = 86_400_000;
