/**
 * Timing helpers for the benchmarks: run a command N times, report the
 * median. Baselines are measured in the same run, interleaved with the
 * subject, because these machines are noisy: only ratios are compared.
 */
import { spawnSync } from "node:child_process";

export interface Subject {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function timeOnce(s: Subject): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(s.command, s.args, {
    env: s.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${s.label} exited ${String(r.status)}: ${r.stderr.toString().slice(0, 500)}`);
  }
  return ms;
}

/** Runs every subject `rounds` times, interleaved (a, b, c, a, b, c, ...), after one warm-up each. */
export function measureInterleaved(
  subjects: readonly Subject[],
  rounds: number,
): Map<string, number> {
  const samples = new Map<string, number[]>(subjects.map((s) => [s.label, []]));
  for (const s of subjects) timeOnce(s);
  for (let i = 0; i < rounds; i++) {
    for (const s of subjects) samples.get(s.label)?.push(timeOnce(s));
  }
  return new Map([...samples].map(([label, v]) => [label, median(v)]));
}
