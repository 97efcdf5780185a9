/**
 * The command layer without the process: argv in, exit code out. Commands
 * load lazily, so `awsmfa export --format credential-process` never loads
 * what `add` or the AWS SDK need.
 */
import pkg from "../../package.json" with { type: "json" };
import { didYouMean } from "../didYouMean.ts";
import { AwsmfaError, isAwsmfaError, usageError } from "../errors.ts";
import { splitGlobals } from "./args.ts";
import type { CommandModule } from "./command.ts";
import type { CliContext } from "./context.ts";
import { globalsOf } from "./globals.ts";

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  add: { summary: "Store long-term keys for a profile", load: () => import("./commands/add.ts") },
  list: {
    summary: "List profiles, stored keys and cached sessions",
    load: () => import("./commands/list.ts"),
  },
  remove: {
    summary: "Remove a profile's stored keys and sessions",
    load: () => import("./commands/remove.ts"),
  },
  clear: { summary: "Remove cached sessions", load: () => import("./commands/clear.ts") },
  exec: {
    summary: "Run a command with temporary credentials",
    load: () => import("./commands/exec.ts"),
  },
  export: {
    summary: "Print temporary credentials (env, json, credential_process, ...)",
    load: () => import("./commands/export.ts"),
  },
  write: {
    summary: "Write temporary credentials into the shared credentials file",
    load: () => import("./commands/write.ts"),
  },
  import: { summary: "Import keys from aws-vault", load: () => import("./commands/import.ts") },
  migrate: { summary: "Move keys out of plain text", load: () => import("./commands/migrate.ts") },
  policy: {
    summary: "Print the IAM policy that forces MFA (force-mfa)",
    load: () => import("./commands/policy.ts"),
  },
  bootstrap: {
    summary: "Print a CloudFormation template for an MFA-only role and group",
    load: () => import("./commands/bootstrap.ts"),
  },
  mfa: {
    summary: "Enrol, list or remove the IAM user's MFA devices",
    load: () => import("./commands/mfa.ts"),
  },
  vault: {
    summary: "Sign in to HashiCorp Vault / OpenBao (login) for profiles with vault_path",
    load: () => import("./commands/vault.ts"),
  },
  unlock: {
    summary: "Type the file store's passphrase once for this login (starts the agent)",
    load: () => import("./commands/unlock.ts"),
  },
  lock: {
    summary: "Make the agent forget the store's key",
    load: () => import("./commands/lock.ts"),
  },
  sso: {
    summary: "Sign in to or out of IAM Identity Center (login, logout)",
    load: () => import("./commands/sso.ts"),
  },
  agent: {
    summary: "Run the unlock agent in the foreground",
    load: () => import("./commands/agent.ts"),
  },
  completion: { summary: "Print a shell completion script", load: completion("completion") },
  // Hidden (names starting with "__"): what the completion scripts call.
  __complete: { summary: "", load: completion("__complete") },
  login: { summary: "Open the AWS console signed in", load: () => import("./commands/login.ts") },
  rotate: { summary: "Rotate a profile's access key", load: () => import("./commands/rotate.ts") },
};

function completion(name: "completion" | "__complete"): () => Promise<CommandModule> {
  return async () => {
    const m = await import("./completion/completionCommands.ts");
    return name === "completion"
      ? m.completionCommand()
      : m.completeCommand({ commands: COMMANDS, aliases: ALIASES });
  };
}

const ALIASES: Readonly<Record<string, string>> = { ls: "list", rm: "remove" };

export function mainHelp(): string {
  const shown = Object.entries(COMMANDS).filter(([name]) => !name.startsWith("__"));
  const width = Math.max(...shown.map(([c]) => c.length));
  const lines = shown.map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return `awsmfa ${pkg.version}: AWS credentials with MFA, without long-term keys in plain text

Usage: awsmfa [global options] <command> [options]

Commands:
${lines.join("\n")}

Global options (each also an environment variable):
  --backend NAME    file|keychain|secret-service|wincred|keyutils|pass (AWSMFA_BACKEND)
  --file-dir DIR    the encrypted file store (AWSMFA_FILE_DIR, default ~/.awsmfa)
  --prompt NAME     how an MFA code is asked for: terminal (default), ykman,
                    zenity, kdialog, osascript (AWSMFA_PROMPT)
  --debug           explain each decision on stderr (secrets redacted)
  -h, --help        show help; 'awsmfa help <command>' for a command
  -v, --version     print the version (also 'awsmfa version')

Run 'awsmfa help <command>' (or 'awsmfa <command> --help') for a command's options.
`;
}

export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  try {
    const split = splitGlobals(argv);
    if (split.command === "version" && split.rest.length > 0) {
      throw usageError(`version: unexpected argument '${split.rest[0] ?? ""}'.`);
    }
    if (split.globals.version === true || split.command === "version") {
      ctx.stdout(`${pkg.version}\n`);
      return 0;
    }
    if (split.command === undefined) {
      if (split.globals.help === true) {
        ctx.stdout(mainHelp());
        return 0;
      }
      ctx.stderr(mainHelp());
      return 2;
    }
    // `awsmfa help [<command>]`, as git and aws-vault spell it.
    const helpFor = split.command === "help" ? split.rest[0] : undefined;
    if (split.command === "help") {
      if (split.rest.length > 1) throw usageError("help: give one command name at most.");
      if (helpFor === undefined) {
        ctx.stdout(mainHelp());
        return 0;
      }
    }
    const asked = helpFor ?? split.command;
    const entry = commandEntry(asked);
    const mod = await entry.load();
    if (split.globals.help === true || helpFor !== undefined) {
      ctx.stdout(mod.usage);
      return 0;
    }
    const globals = globalsOf(split.globals, ctx.env);
    const debug = globals.debug
      ? (message: string) => {
          ctx.stderr(`awsmfa: debug: ${message}\n`);
        }
      : () => undefined;
    if (globals.backendNote !== undefined) debug(globals.backendNote);
    return await mod.run({ ctx, globals, argv: split.rest, debug });
  } catch (e) {
    return reportError(e, ctx, argv.includes("--debug") || ctx.env.AWSMFA_DEBUG === "1");
  }
}

function commandEntry(name: string): CommandEntry {
  const entry = COMMANDS[ALIASES[name] ?? name];
  if (entry !== undefined) return entry;
  const near = didYouMean(name, [
    ...Object.keys(COMMANDS).filter((c) => !c.startsWith("__")),
    ...Object.keys(ALIASES),
    "help",
    "version",
  ]);
  throw usageError(
    `Unknown command '${name}'.`,
    `${near === undefined ? "" : `${near} `}Run 'awsmfa help' for the list of commands.`,
  );
}

export function formatError(e: AwsmfaError): string {
  let text = `awsmfa: ${e.message}\n`;
  if (e.hint !== undefined) text += `  hint: ${e.hint}\n`;
  return text;
}

function reportError(e: unknown, ctx: CliContext, debug: boolean): number {
  if (isAwsmfaError(e)) {
    ctx.stderr(formatError(e));
    return e.exitCode;
  }
  // Not one of ours: a bug. Say so without dumping objects that might hold
  // secrets (SDK errors can carry request metadata).
  const message = e instanceof Error ? `${e.name}: ${e.message}` : "unknown error";
  if (!debug) {
    ctx.stderr(
      `awsmfa: unexpected error: ${message}\n  hint: run again with --debug to see where it happened, and report it to the awsmfa issue tracker.\n`,
    );
    return 1;
  }
  // Under --debug: where it happened, and what caused it. Stacks carry code
  // locations, not values; causes are printed the same way.
  let text = `awsmfa: unexpected error: ${e instanceof Error ? (e.stack ?? message) : message}\n`;
  let cause: unknown = e instanceof Error ? e.cause : undefined;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    text += `  caused by: ${cause.stack ?? `${cause.name}: ${cause.message}`}\n`;
    cause = cause.cause;
  }
  ctx.stderr(`${text}  hint: report this to the awsmfa issue tracker.\n`);
  return 1;
}
