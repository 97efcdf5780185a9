/**
 * Argument parsing on node's util.parseArgs (no dependency, nothing to load
 * on the hot path). Global options are pulled out first, wherever they stand
 * before `--`; the rest goes to the command.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { didYouMean } from "../didYouMean.ts";
import { type AwsmfaError, usageError } from "../errors.ts";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface SplitArgv {
  readonly command: string | undefined;
  readonly globals: Record<string, string | boolean>;
  readonly rest: string[];
}

export const GLOBAL_FLAGS: ReadonlyMap<string, { name: string; takesValue: boolean }> = new Map<
  string,
  { name: string; takesValue: boolean }
>([
  ["--backend", { name: "backend", takesValue: true }],
  ["--file-dir", { name: "file-dir", takesValue: true }],
  ["--prompt", { name: "prompt", takesValue: true }],
  ["--debug", { name: "debug", takesValue: false }],
  ["--help", { name: "help", takesValue: false }],
  ["-h", { name: "help", takesValue: false }],
  ["--version", { name: "version", takesValue: false }],
  ["-v", { name: "version", takesValue: false }],
]);

export function splitGlobals(argv: readonly string[]): SplitArgv {
  const globals: Record<string, string | boolean> = {};
  const rest: string[] = [];
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    const eq = arg.indexOf("=");
    const flagName = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const flag = GLOBAL_FLAGS.get(flagName);
    if (flag !== undefined) {
      if (!flag.takesValue) {
        globals[flag.name] = true;
      } else if (eq > 0 && flagName !== arg) {
        globals[flag.name] = arg.slice(eq + 1);
      } else {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith("-")) {
          throw usageError(`Option ${flagName} needs a value.`);
        }
        globals[flag.name] = value;
        i++;
      }
      continue;
    }
    if (command === undefined) {
      if (arg.startsWith("-")) throw usageError(`Unknown option '${arg}'.`);
      command = arg;
      continue;
    }
    rest.push(arg);
  }
  return { command, globals, rest };
}

export interface ParsedCommandArgs<V> {
  readonly values: V;
  readonly positionals: string[];
  /** Everything after `--` (for exec). */
  readonly passthrough: string[] | undefined;
}

export function parseCommandArgs<const O extends OptionSpec>(
  command: string,
  argv: readonly string[],
  options: O,
): ParsedCommandArgs<
  ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>["values"]
> {
  const dashdash = argv.indexOf("--");
  const before = dashdash < 0 ? [...argv] : argv.slice(0, dashdash);
  const passthrough = dashdash < 0 ? undefined : argv.slice(dashdash + 1);
  try {
    const { values, positionals } = parseArgs({
      args: before,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals, passthrough };
  } catch {
    // Node's own text names the option in a sentence written for another
    // tool ("... as in '-- "--query"", an unbalanced quote): we find the
    // argument ourselves and say what to do about it.
    throw badArguments(command, before, options);
  }
}

type BadArgument =
  | { readonly kind: "unknown"; readonly flag: string; readonly after: readonly string[] }
  | { readonly kind: "needs-value"; readonly flag: string; readonly names: string }
  | { readonly kind: "takes-no-value"; readonly flag: string; readonly names: string };

/** The first argument parseArgs rejects, found with the same rules (strict, positionals allowed). */
function findBadArgument(args: readonly string[], options: OptionSpec): BadArgument | undefined {
  const shorts = new Map<string, string>();
  for (const [long, o] of Object.entries(options))
    if (o.short !== undefined) shorts.set(o.short, long);
  const positionals: string[] = [];
  const names = (long: string) => {
    const short = options[long]?.short;
    return short === undefined ? `--${long}` : `-${short}/--${long}`;
  };
  // A string option's value: the next argument, unless there is none or it looks like an option.
  const missingValue = (next: string | undefined) => next === undefined || next.startsWith("-");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const long = arg.slice(2, eq < 0 ? undefined : eq);
      const type = options[long]?.type;
      const flag = `--${long}`;
      if (type === undefined) return { kind: "unknown", flag, after: positionals };
      if (type === "boolean" && eq >= 0)
        return { kind: "takes-no-value", flag, names: names(long) };
      if (type === "string" && eq < 0) {
        if (missingValue(args[i + 1])) return { kind: "needs-value", flag, names: names(long) };
        i++;
      }
    } else if (arg.startsWith("-") && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const ch = arg.charAt(j);
        const long = shorts.get(ch);
        const flag = `-${ch}`;
        if (long === undefined) return { kind: "unknown", flag, after: positionals };
        if (options[long]?.type === "string") {
          if (j < arg.length - 1) break; // -d1h: the rest is the value
          if (missingValue(args[i + 1])) return { kind: "needs-value", flag, names: names(long) };
          i++;
        }
      }
    } else {
      positionals.push(arg);
    }
  }
  return undefined;
}

/**
 * aws-vault options that awsmfa spells another way, by command: what the
 * user meant, in our words.
 */
const AWS_VAULT_HABITS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  exec: {
    "--json":
      "aws-vault's 'exec --json' (credential_process JSON) is 'awsmfa export --format credential-process PROFILE' here (add --no-session for 'exec --json --no-session').",
    "-j": "aws-vault's 'exec -j' (credential_process JSON) is 'awsmfa export --format credential-process PROFILE' here.",
    "-s": "aws-vault's 'exec -s' is 'awsmfa exec --server PROFILE -- CMD' here.",
  },
  list: Object.fromEntries(
    ["--profiles", "--credentials", "--sessions"].map((flag) => [
      flag,
      `aws-vault's 'list ${flag}' is one table here: 'awsmfa list' (or 'awsmfa list --json' for scripts).`,
    ]),
  ),
};

function badArguments(command: string, args: readonly string[], options: OptionSpec): AwsmfaError {
  const help = `Run 'awsmfa help ${command}' for its options.`;
  const bad = findBadArgument(args, options);
  if (bad === undefined) return usageError(`${command}: the arguments could not be read.`, help);
  if (bad.kind === "needs-value") {
    return usageError(
      `${command}: option ${bad.names} needs a value.`,
      `Give it one: ${bad.flag} VALUE. ${help}`,
    );
  }
  if (bad.kind === "takes-no-value") {
    return usageError(
      `${command}: option ${bad.names} takes no value.`,
      `Write it as ${bad.flag} alone.`,
    );
  }
  const message = `${command}: unknown option '${bad.flag}'.`;
  const habit = AWS_VAULT_HABITS[command]?.[bad.flag];
  if (habit !== undefined) return usageError(message, habit);
  // exec takes its command after the profile, with or without `--`: an
  // option of that command (aws ... --query) needs the `--`.
  if (command === "exec" && bad.after.length >= 2) {
    return usageError(
      message,
      `To give '${bad.flag}' to the command, put '--' before the command: awsmfa exec ${bad.after[0] ?? "PROFILE"} -- ${bad.after.slice(1).join(" ")} ${bad.flag} ...`,
    );
  }
  const flags = [
    ...Object.entries(options).flatMap(([long, o]) => [
      `--${long}`,
      ...(o.short === undefined ? [] : [`-${o.short}`]),
    ]),
    ...GLOBAL_FLAGS.keys(),
  ];
  const near = bad.flag.startsWith("--") ? didYouMean(bad.flag, flags) : undefined;
  return usageError(message, near === undefined ? help : `${near} ${help}`);
}

/** Rejects positionals beyond what a command takes. */
export function atMostPositionals(command: string, positionals: string[], max: number): void {
  if (positionals.length > max) {
    throw usageError(
      `${command}: unexpected argument '${positionals[max] ?? ""}'.`,
      `Run 'awsmfa ${command} --help' for usage.`,
    );
  }
}
