import { Pool } from 'undici';
import { type ChatTarget } from './chat-target';

/** Non-200 answers and transport failures, counted by a short description. */
export class ErrorTally {
  private readonly counts = new Map<string, number>();

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  add(description: string): void {
    this.counts.set(description, (this.counts.get(description) ?? 0) + 1);
  }

  entries(): [string, number][] {
    return [...this.counts.entries()];
  }
}

/** Successful requests over a measured time. */
export interface ThroughputSample {
  readonly completed: number;
  readonly seconds: number;
}

/** Keep-alive connections to one target; every request is the target's request. */
export class ChatLoad {
  private readonly pool: Pool;

  constructor(
    readonly target: ChatTarget,
    connections: number,
    private readonly errors: ErrorTally,
  ) {
    this.pool = new Pool(target.origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 60_000,
    });
  }

  /**
   * `concurrency` loops send back to back until `durationMs` has passed. Returns the 200s
   * and the seconds until the last answer came in.
   */
  async saturate(concurrency: number, durationMs: number): Promise<ThroughputSample> {
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(durationMs) * 1_000_000n;
    let completed = 0;
    const loop = async (): Promise<void> => {
      while (process.hrtime.bigint() < deadline) {
        if (await this.send()) completed++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return { completed, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  }

  /** Sends `count` requests one after another; returns each one's latency in ms. */
  async latencies(count: number): Promise<number[]> {
    const samples: number[] = [];
    for (let index = 0; index < count; index++) {
      const started = process.hrtime.bigint();
      const ok = await this.send();
      const elapsed = process.hrtime.bigint() - started;
      if (ok) samples.push(Number(elapsed) / 1e6);
    }
    return samples;
  }

  /**
   * Sends `count` requests one after another; returns the ms until each answer's first body
   * bytes arrived (for a stream: the first event, i.e. time to first token).
   */
  async firstByteLatencies(count: number): Promise<number[]> {
    const samples: number[] = [];
    for (let index = 0; index < count; index++) {
      const started = process.hrtime.bigint();
      let firstAt: bigint | undefined;
      const ok = await this.send(() => {
        firstAt ??= process.hrtime.bigint();
      });
      if (ok && firstAt !== undefined) samples.push(Number(firstAt - started) / 1e6);
    }
    return samples;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /**
   * One request, body read to the end; false (and counted) unless it answered 200 and, for a
   * stream, ended as a complete stream does. `onData` runs for every body chunk.
   */
  private async send(onData?: () => void): Promise<boolean> {
    try {
      const { statusCode, body } = await this.pool.request({
        path: this.target.path,
        method: 'POST',
        headers: this.target.headers,
        body: this.target.body,
      });
      const streamEnd = this.target.streamEnd;
      if (statusCode === 200 && !onData && !streamEnd) {
        await body.dump();
        return true;
      }
      if (statusCode === 200) {
        let tail = '';
        for await (const chunk of body as AsyncIterable<Buffer>) {
          onData?.();
          if (streamEnd) tail = (tail + chunk.toString('utf8')).slice(-256);
        }
        if (!streamEnd || tail.endsWith(streamEnd)) return true;
        this.errors.add(`${this.target.name}: stream ended without ${JSON.stringify(streamEnd)}`);
        return false;
      }
      const text = await body.text();
      this.errors.add(`${this.target.name}: HTTP ${statusCode} ${text.slice(0, 200)}`);
    } catch (error) {
      this.errors.add(
        `${this.target.name}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return false;
  }
}
