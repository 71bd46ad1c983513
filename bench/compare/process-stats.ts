// What both controllers are measured by, from the kernel's view of the process (so a Go and a
// Node process are measured the same way): RSS from /proc/<pid>/status, CPU seconds from
// /proc/<pid>/stat, and "idle" as a CPU rate near zero for a while.
import { readFileSync } from 'node:fs';
import { rssBytes, say, summarize, type Summary } from '../operator/lib.ts';

/** utime + stime of the whole process (all threads), in seconds. USER_HZ is 100 on Linux. */
export function cpuSeconds(pid: number): number {
  // The command name (field 2) may contain spaces; fields after its closing paren are fixed.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Waits until the process used under `maxRate` CPU seconds per second over `quietMs`, so idle
 * memory is sampled after the work is done for both controllers alike (neither one's own
 * work-queue metrics are needed). Gives up after `timeoutMs` and says so.
 */
export async function waitCpuQuiet(
  pid: number,
  what: string,
  opts: { quietMs?: number; maxRate?: number; timeoutMs?: number } = {},
): Promise<boolean> {
  const quietMs = opts.quietMs ?? 5000;
  const maxRate = opts.maxRate ?? 0.05;
  const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
  let since = Date.now();
  let cpuAt = cpuSeconds(pid);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000)); // a poll interval inside a deadline-bounded wait
    const now = Date.now();
    const cpu = cpuSeconds(pid);
    if (now - since >= quietMs) {
      if ((cpu - cpuAt) / ((now - since) / 1000) <= maxRate) return true;
      since = now;
      cpuAt = cpu;
    }
    if (now > deadline) {
      say(`${what}: still using CPU after ${(opts.timeoutMs ?? 300_000) / 1000} s; sampling anyway`);
      return false;
    }
  }
}

/** `count` RSS samples `everyMs` apart, in MiB. */
export async function sampleRss(pid: number, count = 10, everyMs = 1000): Promise<Summary> {
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    values.push(rssBytes(pid) / 1024 / 1024);
    if (i < count - 1) await new Promise((r) => setTimeout(r, everyMs));
  }
  return summarize(values);
}
