/**
 * `awsmfa completion SHELL` (prints the script) and the hidden
 * `awsmfa __complete [--new-word] -- WORDS...` the scripts call. They get
 * the command registry from run.ts as a value (no import back into it).
 * __complete reads only the config files: no store, no AWS SDK.
 */
import { GLOBAL_FLAGS, type OptionSpec } from "../args.ts";
import { usageError } from "../../errors.ts";
import { BACKEND_NAMES } from "../../store/backendName.ts";
import { PROMPT_NAMES } from "../../mfa/promptNames.ts";
import { isWrittenProfile } from "../../config/writtenSections.ts";
import type { CommandInput, CommandModule } from "../command.ts";
import { loadConfig } from "../services.ts";
import { completeWords, type CompletionSpec } from "./completeWords.ts";
import { completionScript, SHELLS } from "./completionScripts.ts";

export interface CommandRegistry {
  readonly commands: Readonly<Record<string, { readonly load: () => Promise<CommandModule> }>>;
  readonly aliases: Readonly<Record<string, string>>;
}

const usage = `Usage: awsmfa completion bash|zsh|fish|powershell

Prints a shell completion script (commands, flags, profile names from your
AWS config) on stdout. Load it from your shell's start-up file:

  bash        eval "$(awsmfa completion bash)"            in ~/.bashrc
  zsh         eval "$(awsmfa completion zsh)"             in ~/.zshrc, after compinit
  fish        awsmfa completion fish > ~/.config/fish/completions/awsmfa.fish
  powershell  awsmfa completion powershell | Out-String | Invoke-Expression   in $PROFILE
`;

export function completionCommand(): CommandModule {
  return {
    usage,
    run(input) {
      const [shell, ...extra] = input.argv;
      const known = SHELLS.find((s) => s === shell);
      if (known === undefined || extra.length > 0) {
        throw usageError(
          shell === undefined
            ? "completion: name the shell."
            : `completion: ${extra.length > 0 ? `unexpected argument '${extra[0] ?? ""}'` : `unknown shell '${shell}'`}.`,
          `Use one of: ${SHELLS.join(", ")}.`,
        );
      }
      input.ctx.stdout(completionScript(known));
      return Promise.resolve(0);
    },
  };
}

/** Commands whose first argument is a profile of the config. */
const PROFILE_FIRST = ["exec", "export", "write", "remove", "clear", "login", "rotate"];

export function completeCommand(registry: CommandRegistry): CommandModule {
  return {
    usage:
      "Usage: awsmfa __complete [--new-word] -- WORDS...\n\n(used by the completion scripts)\n",
    async run(input) {
      const dashdash = input.argv.indexOf("--");
      const words = dashdash < 0 ? [] : input.argv.slice(dashdash + 1);
      if (input.argv.slice(0, Math.max(dashdash, 0)).includes("--new-word")) words.push("");
      if (words.length === 0) words.push("");
      const names = Object.keys(registry.commands).filter((n) => !n.startsWith("__"));
      const spec: CompletionSpec = {
        commands: [...names, "help", "version"],
        aliases: registry.aliases,
        globals: GLOBAL_FLAGS,
        options: (command) => commandOptions(registry, command),
        profiles: () => profileNames(input),
        values: {
          prompt: PROMPT_NAMES,
          backend: BACKEND_NAMES,
          "export.format": async () => (await import("../commands/export.ts")).FORMATS,
          "import.profile": "profiles",
          "migrate.profile": "profiles",
        },
        firstArgument: {
          ...Object.fromEntries(PROFILE_FIRST.map((c) => [c, "profiles" as const])),
          help: "commands",
          import: ["aws-vault"],
          completion: SHELLS,
        },
      };
      const out = await completeWords(words, spec);
      input.ctx.stdout(out.map((c) => `${c}\n`).join(""));
      return 0;
    },
  };
}

async function commandOptions(
  registry: CommandRegistry,
  command: string,
): Promise<OptionSpec | undefined> {
  const entry = registry.commands[command];
  if (entry === undefined || command.startsWith("__")) return undefined;
  return (await entry.load()).options;
}

/** The config's profiles (not the sections 'write' made); none when the config cannot be read. */
async function profileNames(input: CommandInput): Promise<string[]> {
  try {
    const config = await loadConfig(input, { configMayBeMissing: true });
    return [...config.profiles.values()].filter((p) => !isWrittenProfile(p)).map((p) => p.name);
  } catch {
    // A completion that prints an error into the command line helps nobody;
    // `awsmfa list` shows what is wrong with the file.
    return [];
  }
}
