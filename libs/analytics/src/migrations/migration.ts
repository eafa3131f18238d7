/** One versioned schema change: statements applied in order, each a single SQL statement. */
export interface Migration {
  /** Positive, strictly increasing across the list; never reused or renumbered once released. */
  readonly version: number;
  readonly name: string;
  /**
   * Written to be safe to re-run (`IF NOT EXISTS` …): a crash between a statement and the
   * bookkeeping row makes the next start apply the migration again.
   */
  readonly statements: readonly string[];
}
