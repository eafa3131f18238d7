import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident and peak resident memory of a process, in MiB. */
export interface ProcessMemory {
  readonly rssMiB: number;
  /** Undefined where the OS does not report it (outside Linux). */
  readonly peakRssMiB: number | undefined;
}

/** Reads `/proc/<pid>/status` on Linux, falls back to `ps` elsewhere. */
export function processMemory(pid: number): ProcessMemory {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = statusField(status, 'VmRSS');
    if (rssKiB !== undefined) {
      const peakKiB = statusField(status, 'VmHWM');
      return {
        rssMiB: rssKiB / 1024,
        peakRssMiB: peakKiB === undefined ? undefined : peakKiB / 1024,
      };
    }
  } catch {
    // No procfs: ask ps below.
  }
  const rssKiB = Number(
    execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim(),
  );
  return { rssMiB: rssKiB / 1024, peakRssMiB: undefined };
}

function statusField(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
