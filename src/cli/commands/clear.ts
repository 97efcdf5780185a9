import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { openSecretStore } from "../services.ts";
import { clearSessions } from "../../credentials/sessionCache.ts";

export const usage = `Usage: awsmfa clear [<profile>]

Removes cached sessions: all of them, or those of one profile (sessions
signed with its keys and roles it assumes). Stored long-term keys stay.
`;

export async function run(input: CommandInput): Promise<number> {
  const { positionals } = parseCommandArgs("clear", input.argv, {});
  atMostPositionals("clear", positionals, 1);
  const profile = positionals[0];
  const store = await openSecretStore(input);
  const removed = await clearSessions(store, profile);
  input.ctx.stderr(
    `Removed ${removed.length} cached session${removed.length === 1 ? "" : "s"}${profile === undefined ? "" : ` of profile '${profile}'`}.\n`,
  );
  return 0;
}
