/**
 * The start-up path for the call made most often: a cached
 * `awsmfa export --format credential-process PROFILE`, run by the AWS CLI
 * or an SDK before every command. It parses argv with export's own option
 * table, opens the store and reads the config through the same services as
 * every command, asks the engine for a cache hit (cachedCredentials: same
 * plan, same lookup as getCredentials) and prints with the same formatter.
 *
 * Anything else returns undefined, and the bin runs the whole CLI, which
 * starts over and decides everything again: another command or format, any
 * flag but the profile, --debug, a miss, an expiring entry, a prompt, a
 * backend or source that needs more than this bundle holds (the build turns
 * every lazy import this path does not list into a throw that lands here),
 * and any error (the whole CLI reports it). Warnings met on the way are held
 * back: printed once with a hit, dropped with a fallback (which meets them
 * again). Nothing here writes, locks or prompts.
 */
import { cachedCredentials } from "../credentials/cachedCredentials.ts";
import { formatCredentialProcess } from "../output/formatJson.ts";
import { parseCommandArgs, splitGlobals } from "./args.ts";
import type { CommandInput } from "./command.ts";
import type { CliContext } from "./context.ts";
import { exportOptions } from "./exportOptions.ts";
import { globalsOf } from "./globals.ts";
import { checkProfileName, profileFromArgs } from "./profileName.ts";
import { loadConfig, lockDir, openSecretStore } from "./services.ts";

export interface FastPathResult {
  readonly stdout: string;
  /** Warnings met on the way, to print with the credentials. */
  readonly stderr: string;
}

export async function cachedFastPath(
  argv: readonly string[],
  ctx: CliContext,
): Promise<FastPathResult | undefined> {
  try {
    return await tryCached(argv, ctx);
  } catch {
    return undefined;
  }
}

async function tryCached(
  argv: readonly string[],
  ctx: CliContext,
): Promise<FastPathResult | undefined> {
  const split = splitGlobals(argv);
  const g = split.globals;
  if (split.command !== "export" || g.help !== undefined || g.version !== undefined) {
    return undefined;
  }
  const { values, positionals, passthrough } = parseCommandArgs(
    "export",
    split.rest,
    exportOptions,
  );
  const only = Object.keys(values);
  if (
    values.format !== "credential-process" ||
    only.length !== 1 ||
    passthrough !== undefined ||
    positionals.length > 1
  ) {
    return undefined;
  }
  const globals = globalsOf(g, ctx.env);
  if (globals.debug) return undefined;
  const chosen = profileFromArgs(positionals[0], ctx.env);
  if (chosen === undefined) return undefined;
  const profile = checkProfileName(chosen.name, "export");
  let held = "";
  const input: CommandInput = {
    ctx: {
      ...ctx,
      stderr: (text) => {
        held += text;
      },
    },
    globals,
    argv: split.rest,
    debug: () => undefined,
  };
  const store = await openSecretStore(input, { unlockEarly: true });
  const config = await loadConfig(input);
  await lockDir(input);
  const creds = await cachedCredentials(
    { clock: ctx.clock, env: ctx.env, config, store, debug: input.debug },
    { profile },
  );
  if (creds === undefined) return undefined;
  return { stdout: formatCredentialProcess(creds), stderr: held };
}
