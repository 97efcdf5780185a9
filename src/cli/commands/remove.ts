import { AwsmfaError, usageError } from "../../errors.ts";
import { clearSessions } from "../../credentials/sessionCache.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { confirm } from "../confirm.ts";
import { openSecretStore } from "../services.ts";

export const usage = `Usage: awsmfa remove <profile> [--sessions-only] [--force]

Removes the long-term keys stored for a profile, and its cached sessions.

  --sessions-only   keep the keys, remove only the cached sessions
  -f, --force       do not ask for confirmation
`;

export const options = {
  "sessions-only": { type: "boolean" },
  force: { type: "boolean", short: "f" },
} as const;

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("remove", input.argv, options);
  atMostPositionals("remove", positionals, 1);
  const profile = positionals[0];
  if (profile === undefined) throw usageError("remove: which profile? Give its name.");
  const { ctx } = input;
  const store = await openSecretStore(input);
  const sessionsOnly = values["sessions-only"] === true;
  const hasKeys = !sessionsOnly && (await store.get("keys", profile)) !== undefined;
  if (!sessionsOnly && !hasKeys) {
    const sessions = await clearSessions(store, profile);
    if (sessions.length === 0) {
      throw new AwsmfaError(
        "E_NOT_FOUND",
        `No keys or sessions are stored for profile '${profile}'.`,
        {
          hint: "Run 'awsmfa list' to see what is stored.",
        },
      );
    }
  }
  if (hasKeys && values.force !== true) {
    const yes = await confirm(
      `Remove the long-term keys stored for profile '${profile}'? They cannot be recovered from awsmfa.`,
      "--force",
    );
    if (!yes) {
      ctx.stderr("Nothing removed.\n");
      return 1;
    }
  }
  const sessions = await clearSessions(store, profile);
  if (hasKeys) await store.remove("keys", profile);
  ctx.stderr(
    `${hasKeys ? `Removed the keys of profile '${profile}' and` : "Removed"} ${sessions.length} cached session${sessions.length === 1 ? "" : "s"}.\n`,
  );
  return 0;
}
