import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A child process the benchmark started; its output is kept for error messages. */
export interface BenchChild {
  readonly name: string;
  readonly pid: number;
  /** The last ~20 kB of stdout and stderr together. */
  output(): string;
  /** Resolves with the first stdout line, or rejects if the process exits before one. */
  firstLine(): Promise<string>;
  /** Rejects when the process exits before `stop()` was called. */
  readonly unexpectedExit: Promise<never>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<BenchChild>();

/** How to start a child. */
export interface ChildOptions {
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Open an IPC channel so that a child listening for `disconnect` exits when the benchmark
   * dies without cleaning up (e.g. SIGKILL).
   */
  readonly ipc?: boolean;
  /** Flags for node itself, before the script (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
}

/** Starts `node <script>`; stdout and stderr are captured. */
export function startNodeChild(
  name: string,
  script: string,
  options: ChildOptions = {},
): BenchChild {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    env: { ...process.env, ...options.env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${script}`);

  let output = '';
  let stopping = false;
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const unexpectedExit = exited.then(([code, signal]): Promise<never> => {
    if (stopping) return new Promise<never>(() => undefined);
    throw new Error(
      `${name} exited (code ${code}, signal ${signal}) before the benchmark ended:\n${output}`,
    );
  });
  // Only a caller that races against it should see the rejection.
  unexpectedExit.catch(() => undefined);

  const handle: BenchChild = {
    name,
    pid: child.pid,
    output: () => output,
    firstLine: () => firstLineOf(child, name, () => output),
    unexpectedExit,
    stop: async (graceMs = 5_000) => {
      stopping = true;
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(handle);
  return handle;
}

/** Stops every child still running (used on the way out, also after a failure or SIGINT). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

async function firstLineOf(
  child: ChildProcess,
  name: string,
  output: () => string,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline === -1) return;
      cleanUp();
      resolve(buffered.slice(0, newline));
    };
    const onExit = (): void => {
      cleanUp();
      reject(new Error(`${name} exited before printing a line:\n${output()}`));
    };
    const cleanUp = (): void => {
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}
