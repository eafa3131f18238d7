import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../child-process';

/** Installs the pinned CLIs (deploy/local/install-agents.sh, idempotent); returns their bin dir. */
export function installAgentClis(): string {
  const result = spawnSync('bash', [join(repoRoot, 'deploy/local/install-agents.sh')], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`install-agents.sh failed (${result.status}):\n${result.stderr}`);
  }
  return join(result.stdout.trim().split('\n').at(-1)!, 'node_modules', '.bin');
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// A CLI that hangs (e.g. retrying forever) must not hang the suite: it is killed and the test
// sees its output and a null exit code.
const cliTimeoutMs = 100_000;

async function run(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
): Promise<CliRun> {
  const child = spawn(command, args, {
    cwd,
    // Only what the CLI needs: no user config, no proxies, no real provider keys.
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8', TERM: 'dumb', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), cliTimeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** A throw-away home and working directory for one CLI run (nothing of the real user's). */
export function agentSandbox(prefix: string): { home: string; work: string } {
  const home = mkdtempSync(join(tmpdir(), `aigw-${prefix}-home-`));
  const work = mkdtempSync(join(tmpdir(), `aigw-${prefix}-work-`));
  return { home, work };
}

export interface ClaudeRunOptions {
  readonly binDir: string;
  /** The gateway's root URL (Claude Code appends /v1/messages). */
  readonly gatewayUrl: string;
  readonly gatewayKey: string;
  /** The gateway endpoint Claude Code sends as `model` (also used for its small/fast model). */
  readonly model: string;
  readonly prompt: string;
  readonly tags?: string;
  readonly extraArgs?: readonly string[];
  readonly cwd?: string;
}

/** `claude -p <prompt>` against the gateway, offline: no telemetry, updates or other traffic. */
export async function runClaude(options: ClaudeRunOptions): Promise<CliRun> {
  const { home, work } = agentSandbox('claude');
  return runIn(home, work, () =>
    run(
      join(options.binDir, 'claude'),
      ['-p', options.prompt, '--model', options.model, ...(options.extraArgs ?? [])],
      {
        HOME: home,
        ANTHROPIC_BASE_URL: options.gatewayUrl,
        ANTHROPIC_API_KEY: options.gatewayKey,
        ANTHROPIC_SMALL_FAST_MODEL: options.model,
        ANTHROPIC_DEFAULT_HAIKU_MODEL: options.model,
        ...(options.tags ? { ANTHROPIC_CUSTOM_HEADERS: `x-aigw-tags: ${options.tags}` } : {}),
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
        DISABLE_BUG_COMMAND: '1',
        CLAUDE_CODE_DISABLE_TERMINAL_TITLE: '1',
      },
      options.cwd ?? work,
    ),
  );
}

export interface CodexRunOptions {
  readonly binDir: string;
  /** The gateway's OpenAI base URL, `<gateway>/v1`. */
  readonly baseUrl: string;
  readonly gatewayKey: string;
  readonly model: string;
  readonly prompt: string;
  readonly tags?: string;
  /** More config.toml lines (e.g. `[mcp_servers.x]` tables). */
  readonly extraConfig?: string;
  readonly cwd?: string;
}

/**
 * `codex exec <prompt>` with a CODEX_HOME whose config.toml names one model provider: the
 * gateway's Responses API, keyed by the gateway key from an env var.
 */
export async function runCodex(options: CodexRunOptions): Promise<CliRun> {
  const { home, work } = agentSandbox('codex');
  const headers = options.tags ? `http_headers = { "x-aigw-tags" = "${options.tags}" }\n` : '';
  writeFileSync(
    join(home, 'config.toml'),
    `model = "${options.model}"
model_provider = "aigw"
check_for_update_on_startup = false

[model_providers.aigw]
name = "aigw"
base_url = "${options.baseUrl}"
env_key = "AIGW_GATEWAY_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
${headers}
${options.extraConfig ?? ''}`,
  );
  return runIn(home, work, () =>
    run(
      join(options.binDir, 'codex'),
      ['exec', '--skip-git-repo-check', options.prompt],
      { HOME: home, CODEX_HOME: home, AIGW_GATEWAY_KEY: options.gatewayKey },
      options.cwd ?? work,
    ),
  );
}

/** Runs a CLI and removes its throw-away home and working directory afterwards. */
async function runIn(home: string, work: string, cli: () => Promise<CliRun>): Promise<CliRun> {
  try {
    return await cli();
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
