import { type ConsumedRecord } from '@aigw/events';
import { describe, expect, it, vi } from 'vitest';
import { RecordAccumulator } from './record-accumulator';

function records(partition: number, count: number): ConsumedRecord[] {
  return Array.from({ length: count }, (_, offset) => ({
    topic: 't',
    partition,
    offset: String(offset),
    key: null,
    value: Buffer.from('x'),
  }));
}

describe('RecordAccumulator', () => {
  it('writes batches that arrive together in one write, once the size is reached', async () => {
    const write = vi.fn(async (_: readonly ConsumedRecord[]) => undefined);
    const accumulator = new RecordAccumulator(write, { maxRecords: 5, maxDelayMs: 60_000 });
    const first = accumulator.add(records(0, 3));
    const second = accumulator.add(records(1, 2));
    await Promise.all([first, second]);
    expect(write).toHaveBeenCalledTimes(1);
    expect(write.mock.calls[0]![0]).toHaveLength(5);
  });

  it('writes what is waiting after the delay, and acknowledges only after the write', async () => {
    let finish: () => void = () => undefined;
    const write = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const accumulator = new RecordAccumulator(write, { maxRecords: 100, maxDelayMs: 5 });
    let acknowledged = false;
    const added = accumulator.add(records(0, 1)).then(() => (acknowledged = true));
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(1));
    expect(acknowledged).toBe(false);
    finish();
    await added;
    expect(acknowledged).toBe(true);
  });

  it('writes once no further delivery arrives for the idle time, long before the delay', async () => {
    vi.useFakeTimers();
    try {
      const write = vi.fn(async (_: readonly ConsumedRecord[]) => undefined);
      const accumulator = new RecordAccumulator(write, {
        maxRecords: 100,
        maxDelayMs: 60_000,
        idleMs: 10,
      });
      const first = accumulator.add(records(0, 2));
      await vi.advanceTimersByTimeAsync(6);
      // A delivery within the idle time joins the same write and restarts the idle time.
      const second = accumulator.add(records(1, 3));
      await vi.advanceTimersByTimeAsync(6);
      expect(write).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(6);
      await Promise.all([first, second]);
      expect(write).toHaveBeenCalledTimes(1);
      expect(write.mock.calls[0]![0]).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gathers what arrives while a write runs into the next write, by size', async () => {
    const finishes: (() => void)[] = [];
    const write = vi.fn(
      (_: readonly ConsumedRecord[]) => new Promise<void>((resolve) => finishes.push(resolve)),
    );
    const accumulator = new RecordAccumulator(write, { maxRecords: 4, maxDelayMs: 60_000 });
    const first = accumulator.add(records(0, 4));
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(1));
    // Three deliveries arrive during the first write: the next write takes whole deliveries
    // up to the size (3 + 2 records), the one after takes the rest.
    const later = [
      accumulator.add(records(1, 3)),
      accumulator.add(records(2, 2)),
      accumulator.add(records(3, 1)),
    ];
    expect(write).toHaveBeenCalledTimes(1);
    finishes[0]!();
    await first;
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(2));
    expect(write.mock.calls[1]![0]).toHaveLength(5);
    finishes[1]!();
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(3));
    expect(write.mock.calls[2]![0]).toHaveLength(1);
    finishes[2]!();
    await Promise.all(later);
  });

  it('rejects every delivery a failed write carried, so all are delivered again', async () => {
    const accumulator = new RecordAccumulator(
      async () => {
        throw new Error('ClickHouse down');
      },
      { maxRecords: 2 },
    );
    const results = await Promise.allSettled([
      accumulator.add(records(0, 1)),
      accumulator.add(records(1, 1)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
