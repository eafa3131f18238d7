/** `aigw keys …`: manage gateway keys through the admin API (the caller needs the admin role). */

export const keysUsage = `  aigw keys create --principal ID [--groups A,B] [--expires 30d] [--service] [--name TEXT]
                                                        create a key; prints it once
  aigw keys list [--all] [--json]                       list keys (--all: revoked ones too)
  aigw keys revoke ID_OR_PREFIX                         revoke a key at once`;

interface KeyJson {
  readonly id: string;
  readonly prefix: string;
  readonly principal: string;
  readonly kind: string;
  readonly groups: string[];
  readonly name: string;
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly revoked_at: string | null;
  readonly key?: string;
}

interface Connection {
  readonly url: string;
  readonly key: string;
}

const valueOptions = ['--url', '--key', '--principal', '--groups', '--expires', '--name'];

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

function positional(args: string[]): string[] {
  return args.filter(
    (arg, index) => !arg.startsWith('--') && !valueOptions.includes(args[index - 1] ?? ''),
  );
}

function connection(args: string[]): Connection {
  return {
    url: option(args, '--url') ?? process.env['AIGW_URL'] ?? 'http://127.0.0.1:8080',
    key: option(args, '--key') ?? process.env['AIGW_API_KEY'] ?? 'aigw-demo-key',
  };
}

/** Calls the admin API; prints the error and returns undefined when it fails. */
async function call<T>(
  target: Connection,
  method: string,
  path: string,
  body?: unknown,
): Promise<T | undefined> {
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    process.stderr.write(`cannot reach aigw at ${target.url} (is it running? npm start)\n`);
    return undefined;
  }
  const parsed = (await response.json().catch(() => ({}))) as T & { error?: { message: string } };
  if (!response.ok) {
    process.stderr.write(`error: ${parsed.error?.message ?? response.statusText}\n`);
    return undefined;
  }
  return parsed;
}

function describe(key: KeyJson): string {
  const state = key.revoked_at
    ? `revoked ${key.revoked_at}`
    : key.expires_at
      ? `expires ${key.expires_at}`
      : 'no expiry';
  return `${key.prefix}  ${key.id}  ${key.principal} (${key.kind})  groups=[${key.groups.join(',')}]  ${state}${key.name ? `  "${key.name}"` : ''}`;
}

async function create(args: string[]): Promise<number> {
  const principal = option(args, '--principal');
  if (!principal) {
    process.stderr.write(`usage:\n${keysUsage}\n`);
    return 2;
  }
  const groups = (option(args, '--groups') ?? '')
    .split(',')
    .map((group) => group.trim())
    .filter(Boolean);
  const expires = option(args, '--expires');
  const body = {
    principal,
    groups,
    service: args.includes('--service'),
    ...(expires ? { expires_in: /^\d+$/.test(expires) ? Number(expires) : expires } : {}),
    ...(option(args, '--name') ? { name: option(args, '--name') } : {}),
  };
  const created = await call<KeyJson>(connection(args), 'POST', '/admin/keys', body);
  if (!created?.key) return 1;
  process.stdout.write(
    `${created.key}\n` +
      `created ${describe(created)}\n` +
      'This is the only time the key is shown: store it now.\n',
  );
  return 0;
}

async function list(args: string[]): Promise<number> {
  const listed = await call<{ data: KeyJson[] }>(
    connection(args),
    'GET',
    `/admin/keys${args.includes('--all') ? '?include_revoked=true' : ''}`,
  );
  if (!listed) return 1;
  if (args.includes('--json')) {
    for (const key of listed.data) process.stdout.write(`${JSON.stringify(key)}\n`);
  } else if (listed.data.length === 0) {
    process.stdout.write('(no keys)\n');
  } else {
    for (const key of listed.data) process.stdout.write(`${describe(key)}\n`);
  }
  return 0;
}

async function revoke(args: string[]): Promise<number> {
  const [target] = positional(args);
  if (!target) {
    process.stderr.write(`usage:\n${keysUsage}\n`);
    return 2;
  }
  const revoked = await call<KeyJson>(
    connection(args),
    'DELETE',
    `/admin/keys/${encodeURIComponent(target)}`,
  );
  if (!revoked) return 1;
  process.stdout.write(`revoked ${describe(revoked)}\n`);
  return 0;
}

/** Runs `aigw keys <create|list|revoke> …`; returns the exit code. */
export async function keysCommand(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case 'create':
      return create(rest);
    case 'list':
      return list(rest);
    case 'revoke':
      return revoke(rest);
    default:
      process.stderr.write(`usage:\n${keysUsage}\n`);
      return 2;
  }
}
