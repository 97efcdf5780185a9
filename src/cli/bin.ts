/**
 * The `awsmfa` bin, built alone as dist/awsmfa.cjs (CommonJS: Node starts
 * it sooner than an ES module). A cached credential_process is answered by
 * the fast-path bundle (cachedFastPath.ts, loaded with V8's code cache by
 * loadFastPath.ts); everything else loads the whole CLI (dist/cli.js, from
 * run.ts) and runs it with the same context.
 */
import { join } from "node:path";
import { loadFastPath } from "./loadFastPath.ts";
import { processContext } from "./processContext.ts";
import type { FastPathResult } from "./cachedFastPath.ts";
import type { CliContext } from "./context.ts";
import type * as Cli from "./run.ts";

/** The fast-path bundle's digest, set by the build. */
declare const FAST_PATH_DIGEST: string;

// Not bundled into this file: the build makes run.ts the ES module cli.js beside it.
const WHOLE_CLI = "./cli.js";

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const ctx = processContext();
  // Only `export` can be answered there; other commands skip loading it.
  const fast = argv.includes("export") ? await answerFast(argv, ctx) : undefined;
  if (fast !== undefined) {
    if (fast.hit.stderr !== "") ctx.stderr(fast.hit.stderr);
    ctx.stdout(fast.hit.stdout);
    await fast.saveCodeCache();
    return 0;
  }
  const cli = (await import(WHOLE_CLI)) as typeof Cli;
  return cli.runCli(argv, ctx);
}

/** The fast path's answer; undefined for a miss, or when it could not even load (the whole CLI then answers). */
async function answerFast(
  argv: readonly string[],
  ctx: CliContext,
): Promise<{ hit: FastPathResult; saveCodeCache(): Promise<void> } | undefined> {
  try {
    const fast = loadFastPath(
      { bundle: join(__dirname, "chunks", "fast-path.cjs"), digest: FAST_PATH_DIGEST },
      ctx,
    );
    const hit = await fast.exports.cachedFastPath(argv, ctx);
    return hit === undefined ? undefined : { hit, saveCodeCache: () => fast.saveCodeCache() };
  } catch {
    return undefined;
  }
}

void main().then((code) => {
  // Let stdout drain before exiting (it may be a pipe to the AWS CLI).
  process.exitCode = code;
});
