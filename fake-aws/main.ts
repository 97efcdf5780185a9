/**
 * fake-aws command line:
 *   npm run fake-aws -- --world fake-aws/worlds/example.json [--port N] [--log calls.jsonl]
 * Prints "listening http://127.0.0.1:PORT" once ready; exits 0 on SIGTERM/SIGINT.
 */
import { parseArgs } from "node:util";
import { startFakeAws } from "./server.ts";

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        world: { type: "string" },
        port: { type: "string", default: "0" },
        log: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`fake-aws: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  if (values.help === true || values.world === undefined) {
    process.stderr.write("usage: fake-aws --world WORLD.json [--port N] [--log CALLS.jsonl]\n");
    return values.help === true ? 0 : 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`fake-aws: --port must be 0..65535, got ${values.port}\n`);
    return 2;
  }
  const aws = await startFakeAws({
    world: values.world,
    port,
    ...(values.log !== undefined ? { logFile: values.log } : {}),
  });
  process.stdout.write(`listening ${aws.url}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await aws.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`fake-aws: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
