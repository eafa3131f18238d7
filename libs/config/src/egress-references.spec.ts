import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './config-loader';

const config = (allow: string): string => `version: 1
runtime:
  egress:
    allow_private: ${allow}
providers:
  local:
    type: openai
    base_url: http://127.0.0.1:9000/v1
  metadata:
    type: openai
    base_url: http://169.254.169.254/v1
  public:
    type: openai
    base_url: https://api.openai.com/v1
mcp:
  connections:
    tools:
      url: http://[::1]:7000/mcp
`;

function issues(text: string): string[] {
  try {
    parseConfig(text, 'aigw.yaml', {});
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
}

describe('egress checks at config load', () => {
  it('refuses internal provider and MCP URLs nobody allowed, each with its path', () => {
    const found = issues(config('[]'));
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^providers\.local\.base_url: egress to 127\.0\.0\.1:9000 is refused/);
    expect(found[1]).toMatch(/^providers\.metadata\.base_url: egress to 169\.254\.169\.254/);
    expect(found[2]).toMatch(/^mcp\.connections\.tools\.url: egress to \[::1\]:7000/);
  });

  it('accepts what allow_private lists', () => {
    expect(issues(config("[127.0.0.1, '::1', 169.254.169.254/32]"))).toEqual([]);
    expect(issues(config("['127.0.0.0/8', '::1']"))).toEqual([
      expect.stringMatching(/^providers\.metadata\.base_url/),
    ]);
  });
});
