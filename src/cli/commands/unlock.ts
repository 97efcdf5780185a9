import { askAgent } from "../../agent/agentClient.ts";
import { agentSocketPath } from "../../agent/socketPath.ts";
import { AwsmfaError } from "../../errors.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { openSecretStore } from "../services.ts";

export const usage = `Usage: awsmfa unlock

Asks for the file store's passphrase (or takes AWSMFA_FILE_PASSPHRASE) and
hands the derived key to the unlock agent, starting it when none runs. Every
awsmfa process of this login session, nested exec and credential_process
included, then reads the store without asking again, until 'awsmfa lock',
the agent's idle timeout (1h) or its maximum lifetime (12h).
`;

export const options = {} as const;

export async function run(input: CommandInput): Promise<number> {
  const { positionals } = parseCommandArgs("unlock", input.argv, options);
  atMostPositionals("unlock", positionals, 0);
  const host = input.ctx.agent;
  if (host === undefined || input.ctx.env.AWSMFA_AGENT?.trim().toLowerCase() === "off") {
    throw new AwsmfaError("E_AGENT_UNSUPPORTED", "No awsmfa agent can be used here.", {
      hint:
        host === undefined
          ? "The agent needs unix sockets; set AWSMFA_FILE_PASSPHRASE instead."
          : "Unset AWSMFA_AGENT=off to use the agent.",
    });
  }
  const store = await openSecretStore(input, { startAgent: true });
  if (store.unlock === undefined) {
    input.ctx.stderr(`The ${store.backend} backend has no passphrase: nothing to unlock.\n`);
    return 0;
  }
  await store.unlock();
  const socketPath = agentSocketPath({ env: input.ctx.env, uid: host.uid, tmpdir: host.tmpdir });
  const hello = await askAgent(socketPath, { op: "hello" });
  if (hello?.ok !== true) {
    throw new AwsmfaError("E_AGENT_START", `The awsmfa agent did not start at ${socketPath}.`, {
      hint: "Run 'awsmfa --debug unlock' to see why, or 'awsmfa agent' in another terminal.",
    });
  }
  input.ctx.stderr(
    `Unlocked: the awsmfa agent (pid ${String(hello.pid ?? "?")}) holds the file store's key. 'awsmfa lock' forgets it.\n`,
  );
  return 0;
}
