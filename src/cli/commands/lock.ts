import { askAgent } from "../../agent/agentClient.ts";
import { agentSocketPath, checkSocket } from "../../agent/socketPath.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";

export const usage = `Usage: awsmfa lock [--stop]

Makes the unlock agent forget every store key at once: the next awsmfa
command asks for the passphrase again.

  --stop    also end the agent
`;

export const options = { stop: { type: "boolean" } } as const;

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("lock", input.argv, options);
  atMostPositionals("lock", positionals, 0);
  const host = input.ctx.agent;
  const socketPath =
    host === undefined
      ? undefined
      : agentSocketPath({ env: input.ctx.env, uid: host.uid, tmpdir: host.tmpdir });
  if (
    host === undefined ||
    socketPath === undefined ||
    !(await checkSocket(socketPath, host.uid))
  ) {
    input.ctx.stderr("No awsmfa agent is running: nothing to lock.\n");
    return 0;
  }
  const r = await askAgent(socketPath, { op: values.stop === true ? "stop" : "lock" });
  if (r?.ok !== true) {
    input.ctx.stderr(`No awsmfa agent answers at ${socketPath}: nothing to lock.\n`);
    return 0;
  }
  const n = r.forgot ?? 0;
  input.ctx.stderr(
    `The awsmfa agent forgot ${String(n)} store key${n === 1 ? "" : "s"}${values.stop === true ? " and stopped" : ""}.\n`,
  );
  return 0;
}
