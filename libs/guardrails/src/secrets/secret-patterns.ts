/** Built-in secret detectors, in the order they win overlaps (most specific prefix first). */
export const secretTypes = [
  'private_key',
  'connection_string',
  'jwt',
  'aws_access_key',
  'aws_secret_key',
  'github_token',
  'gitlab_token',
  'slack_token',
  'anthropic_key',
  'openai_key',
  'google_api_key',
  'stripe_key',
] as const;

/** Types whose pattern includes a label; the secret itself is capture group 1. */
export const labelledSecretTypes: ReadonlySet<string> = new Set(['aws_secret_key']);

/** A built-in secret type. */
export type SecretType = (typeof secretTypes)[number];

const pemLabel = '(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?';

/**
 * One regex per type. Token formats are the providers' published prefixes; lengths are lower
 * bounds so rotated formats (longer keys) still match.
 */
export const secretPatterns: Record<SecretType, RegExp> = {
  // The header alone is enough to act; the body is included when its END line is in reach.
  private_key: new RegExp(
    `-----BEGIN ${pemLabel}-----(?:[\\s\\S]{0,12000}?-----END ${pemLabel}-----)?`,
    'g',
  ),
  connection_string:
    /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|jdbc:[a-z]+):\/\/(?:[^\s:/@'"`]+:[^\s@'"`]+@[^\s'"`<>]+|[^\s'"`<>]*[?&;](?:password|pwd)=[^&\s'"`<>]+)/gi,
  jwt: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?![\w-])/g,
  aws_access_key: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
  // Only after its label: a bare 40-character base64 string is far more often something else.
  // The value is capture group 1 (see labelledSecretTypes).
  aws_secret_key:
    /\baws_?secret_?(?:access_?)?key\b["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
  github_token:
    /\b(?:(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  gitlab_token: /\b(?:glpat|gldt|glrt|glptt)-[A-Za-z0-9_-]{20,}(?![\w-])/g,
  slack_token:
    /\bxox[abposr]-[A-Za-z0-9-]{10,}(?![\w-])|https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/g,
  anthropic_key: /\bsk-ant-[a-z]{3,8}\d{2}-[A-Za-z0-9_-]{20,}(?![\w-])/g,
  openai_key:
    /\bsk-(?:(?:proj|svcacct|admin)-)?(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}(?![\w-])/g,
  google_api_key: /\bAIza[0-9A-Za-z_-]{35}(?![\w-])/g,
  stripe_key: /\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{24,}\b/g,
};
