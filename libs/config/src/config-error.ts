/** One problem in a config file: where it is and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** A config that must not be applied; lists every problem at once. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `invalid config ${source}:\n` +
        issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
