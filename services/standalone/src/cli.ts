import { printTable } from './cli-table';
import { ConfigError, loadConfigFile } from '@aigw/config';
import { analyticsCommand, analyticsUsage } from './cli-analytics';
import { keysCommand, keysUsage } from './cli-keys';

const usage = `usage:
  aigw sql "SELECT …" [--url URL] [--key KEY] [--json]   read-only query on the analytics tables
  aigw config validate FILE                             check a config file; prints every error
${keysUsage}
${analyticsUsage}
environment: AIGW_URL (default http://127.0.0.1:8080), AIGW_API_KEY (default: the demo key)`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

async function sql(args: string[]): Promise<number> {
  const query = args.find(
    (arg, index) => !arg.startsWith('--') && !['--url', '--key'].includes(args[index - 1] ?? ''),
  );
  if (!query) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const url = option(args, '--url') ?? process.env['AIGW_URL'] ?? 'http://127.0.0.1:8080';
  const key = option(args, '--key') ?? process.env['AIGW_API_KEY'] ?? 'aigw-demo-key';
  let response: Response;
  try {
    response = await fetch(`${url}/admin/sql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: query }),
    });
  } catch {
    process.stderr.write(`cannot reach aigw at ${url} (is it running? npm start)\n`);
    return 1;
  }
  const body = (await response.json()) as {
    rows?: Record<string, unknown>[];
    error?: { message: string };
  };
  if (!response.ok || !body.rows) {
    process.stderr.write(`error: ${body.error?.message ?? response.statusText}\n`);
    return 1;
  }
  if (args.includes('--json')) {
    for (const row of body.rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  } else {
    printTable(body.rows);
  }
  return 0;
}

function validate(file: string | undefined): number {
  if (!file) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  try {
    const config = loadConfigFile(file);
    process.stdout.write(
      `${config.source}: valid (${config.endpoints.size} endpoints, ${config.providers.size} providers, ${config.principals.size} principals)\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'sql':
      return sql(rest);
    case 'keys':
      return keysCommand(rest);
    case 'usage':
    case 'top':
    case 'errors':
    case 'latency':
    case 'guardrails':
    case 'mcp':
    case 'requests':
    case 'request':
      return analyticsCommand(command, rest);
    case 'config':
      if (rest[0] === 'validate') return validate(rest[1]);
      break;
    default:
      break;
  }
  process.stderr.write(`${usage}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
