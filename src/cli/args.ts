/**
 * Argument parsing on node's util.parseArgs (no dependency, nothing to load
 * on the hot path). Global options are pulled out first, wherever they stand
 * before `--`; the rest goes to the command.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "../errors.ts";

type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface SplitArgv {
  readonly command: string | undefined;
  readonly globals: Record<string, string | boolean>;
  readonly rest: string[];
}

const GLOBAL_FLAGS = new Map<string, { name: string; takesValue: boolean }>([
  ["--backend", { name: "backend", takesValue: true }],
  ["--file-dir", { name: "file-dir", takesValue: true }],
  ["--prompt", { name: "prompt", takesValue: true }],
  ["--debug", { name: "debug", takesValue: false }],
  ["--help", { name: "help", takesValue: false }],
  ["-h", { name: "help", takesValue: false }],
  ["--version", { name: "version", takesValue: false }],
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
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw usageError(`${command}: ${message}`, `Run 'awsmfa ${command} --help' for usage.`);
  }
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
