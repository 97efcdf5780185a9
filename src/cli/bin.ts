/**
 * The `awsmfa` bin, built alone as dist/awsmfa.cjs (CommonJS: Node starts
 * it sooner than an ES module). A cached credential_process is answered
 * here (cachedFastPath.ts); everything else loads the whole CLI
 * (dist/cli.js, run.ts) and runs it with the same context.
 */
import { cachedFastPath } from "./cachedFastPath.ts";
import { processContext } from "./processContext.ts";
import type * as Cli from "./run.ts";

// Not bundled into this file: the build makes run.ts the ES module cli.js beside it.
const WHOLE_CLI = "./cli.js";

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const ctx = processContext();
  const hit = await cachedFastPath(argv, ctx);
  if (hit !== undefined) {
    if (hit.stderr !== "") ctx.stderr(hit.stderr);
    ctx.stdout(hit.stdout);
    return 0;
  }
  const cli = (await import(WHOLE_CLI)) as typeof Cli;
  return cli.runCli(argv, ctx);
}

void main().then((code) => {
  // Let stdout drain before exiting (it may be a pipe to the AWS CLI).
  process.exitCode = code;
});
