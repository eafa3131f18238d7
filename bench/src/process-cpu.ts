import { readFileSync } from 'node:fs';

// USER_HZ: the unit of /proc/<pid>/stat times; 100 on every mainstream Linux build.
const ticksPerSecond = 100;

/**
 * CPU time a process has used so far, all threads, user plus system, in ms; undefined where
 * there is no procfs. Native threads count too (chDB runs its inserts and merges on its own).
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    return ((userTicks + systemTicks) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}
