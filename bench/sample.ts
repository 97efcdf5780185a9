/**
 * One timed run of a command (or N of them at once), measured by a small
 * Python parent: wall time from spawn to exit, CPU time and peak RSS of the
 * children (getrusage(RUSAGE_CHILDREN)), so the numbers are the command's
 * own and not this Node process's. Python's own start-up is outside the
 * measured span.
 */
import { spawnSync } from "node:child_process";

const RUNNER = `
import resource, subprocess, sys, time, json
n = int(sys.argv[1]); cmd = sys.argv[2:]
t = time.perf_counter()
ps = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(n)]
errs = [p.communicate()[1] for p in ps]
wall = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
bad = [e.decode(errors="replace")[:400] for p, e in zip(ps, errs) if p.returncode != 0]
print(json.dumps({"wall": wall * 1000, "cpu": (r.ru_utime + r.ru_stime) * 1000, "rss": r.ru_maxrss, "bad": bad}))
`;

export interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Peak resident set of the largest child, KiB. */
  readonly rssKiB: number;
}

export function sample(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  parallel = 1,
): Sample {
  const r = spawnSync("python3", ["-c", RUNNER, String(parallel), command, ...args], {
    env,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`bench runner failed: ${r.stderr.slice(0, 500)}`);
  const out = JSON.parse(r.stdout) as { wall: number; cpu: number; rss: number; bad: string[] };
  if (out.bad.length > 0)
    throw new Error(`${command} ${args.join(" ")} failed: ${out.bad[0] ?? ""}`);
  return { wallMs: out.wall, cpuMs: out.cpu, rssKiB: out.rss };
}
