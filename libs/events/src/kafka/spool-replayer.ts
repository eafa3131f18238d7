import { Backoff, type BackoffRange } from '../async/backoff';
import { WakeSignal } from '../async/wake-signal';
import { type DiskEventSpool } from './disk-event-spool';
import { type KafkaProducerConnection } from './kafka-producer-connection';
import { type BatchLimits, type OutboundEvent, batchEnd, toProducerBatch } from './outbound-event';

/** What the replayer needs to know from, and tells to, the publisher. */
export interface SpoolReplayerHooks {
  /** True while a batch numbered below `seq` is in flight: it may still be spooled before `seq`. */
  readonly olderBatchInFlight: (seq: number) => boolean;
  /** A segment reached Kafka and left the spool. */
  readonly onReplayed: () => void;
  /** A replay attempt failed; the replayer backs off and tries again. */
  readonly onFailure: (error: unknown) => void;
}

interface Replay {
  readonly seq: number;
  readonly events: readonly OutboundEvent[];
  /** Events Kafka already acknowledged; a retry resumes after them. */
  sent: number;
}

/**
 * Sends the spool back to Kafka, oldest segment first, deleting each segment only after Kafka
 * acknowledged all of its events. While Kafka is unreachable it retries with backoff; it
 * sleeps (without polling) while the spool is empty.
 */
export class SpoolReplayer {
  private readonly changed = new WakeSignal();
  private readonly stopping = new WakeSignal();
  private stopped = false;
  private replaying: Replay | undefined;
  private readonly loop: Promise<void>;

  constructor(
    private readonly spool: DiskEventSpool,
    private readonly connection: KafkaProducerConnection,
    private readonly limits: BatchLimits,
    private readonly backoff: BackoffRange,
    private readonly hooks: SpoolReplayerHooks,
  ) {
    this.loop = this.run();
  }

  /** Something was spooled, or an in-flight batch settled: look at the spool again. */
  poke(): void {
    this.changed.notify();
  }

  /**
   * Stops and disconnects the producer (so an attempt stuck on a dead broker fails at once);
   * an unfinished segment stays in the spool for the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.changed.notify();
    this.stopping.notify();
    await this.connection.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(this.backoff);
    while (!this.stopped) {
      if (this.spool.isEmpty()) {
        await this.changed.wait();
        continue;
      }
      try {
        const replay = this.replaying ?? (await this.next());
        if (!replay) {
          await this.changed.wait();
          continue;
        }
        this.replaying = replay;
        while (replay.sent < replay.events.length) {
          if (this.stopped) return;
          const end = batchEnd(replay.events, replay.sent, this.limits);
          const producer = await this.connection.get();
          await producer.sendBatch(toProducerBatch(replay.events.slice(replay.sent, end)));
          replay.sent = end;
        }
        await this.spool.remove(replay.seq);
        this.replaying = undefined;
        backoff.reset();
        this.hooks.onReplayed();
      } catch (error) {
        if (this.stopped) return;
        this.hooks.onFailure(error);
        this.connection.reset();
        await this.stopping.wait(backoff.next());
      }
    }
  }

  private async next(): Promise<Replay | undefined> {
    const oldest = await this.spool.oldest();
    if (!oldest) return undefined;
    // The batch in flight may still land in the spool, before this segment: it goes first.
    if (this.hooks.olderBatchInFlight(oldest.seq)) return undefined;
    return { seq: oldest.seq, events: oldest.events, sent: 0 };
  }
}
