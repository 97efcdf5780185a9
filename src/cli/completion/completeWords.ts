/**
 * What to offer for the word under the cursor, given the words before it
 * (pure). The shells' scripts pass their words to `awsmfa __complete` and
 * print what this returns; the flags come from the commands' own option
 * definitions (the ones parseCommandArgs reads), so completion and parser
 * cannot drift.
 */
import type { OptionSpec } from "../args.ts";

export interface GlobalFlag {
  readonly name: string;
  readonly takesValue: boolean;
}

export interface CompletionSpec {
  /** Command names (as typed, aliases included) -> the command they run. */
  readonly commands: readonly string[];
  readonly aliases: Readonly<Record<string, string>>;
  /** --flag (and -x) -> what it is, as the global parser knows them. */
  readonly globals: ReadonlyMap<string, GlobalFlag>;
  /** A command's options (undefined when it has none to offer). */
  options(command: string): Promise<OptionSpec | undefined>;
  /** Profile names from the config, read only when needed. */
  profiles(): Promise<readonly string[]>;
  /** Values of an option (a global's name, or "command.option"): a list, "profiles", or where to get them. */
  readonly values: Readonly<Record<string, OptionValues>>;
  /** What a command's first positional argument is. */
  readonly firstArgument: Readonly<Record<string, readonly string[] | "profiles" | "commands">>;
}

export type OptionValues = readonly string[] | "profiles" | (() => Promise<readonly string[]>);

export async function completeWords(
  words: readonly string[],
  spec: CompletionSpec,
): Promise<string[]> {
  const current = words.at(-1) ?? "";
  const before = words.slice(0, -1);
  let command: string | undefined;
  let options: OptionSpec | undefined;
  let positionals = 0;
  // The option whose value is being typed (set when the word before the cursor needs one).
  let valueOf: string | undefined;
  for (const word of before) {
    if (valueOf !== undefined) {
      valueOf = undefined;
      continue;
    }
    // After `--` comes exec's command: the shell's own completion fits it better.
    if (word === "--") return [];
    const global = spec.globals.get(word);
    if (global !== undefined) {
      if (global.takesValue) valueOf = global.name;
      continue;
    }
    if (command === undefined) {
      if (word.startsWith("-")) continue;
      command = spec.aliases[word] ?? word;
      options = await spec.options(command);
      continue;
    }
    if (word.startsWith("--") && !word.includes("=")) {
      const o = options?.[word.slice(2)];
      if (o?.type === "string") valueOf = `${command}.${word.slice(2)}`;
      continue;
    }
    if (word.startsWith("-") && word.length === 2) {
      const long = Object.entries(options ?? {}).find(([, o]) => o.short === word.slice(1));
      if (long?.[1].type === "string") valueOf = `${command}.${long[0]}`;
      continue;
    }
    if (word.startsWith("-")) continue;
    positionals++;
  }
  const offer = (list: readonly string[]) =>
    list.filter((c) => c.startsWith(current)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (valueOf !== undefined) {
    return offer(await optionValues(spec, valueOf));
  }
  const eq = current.indexOf("=");
  if (current.startsWith("--") && eq > 0) {
    // --prompt=yk: the value after the '=', offered with its flag.
    const flag = current.slice(0, eq);
    const global = spec.globals.get(flag);
    const key = global !== undefined ? global.name : `${command ?? ""}.${flag.slice(2)}`;
    return offer((await optionValues(spec, key)).map((v) => `${flag}=${v}`));
  }
  if (current.startsWith("-")) {
    const own = Object.keys(options ?? {}).map((long) => `--${long}`);
    const globals = [...spec.globals.keys()].filter((f) => f.startsWith("--"));
    return offer([...new Set([...own, ...globals])]);
  }
  if (command === undefined) return offer(spec.commands);
  if (positionals > 0) return [];
  const first = spec.firstArgument[command];
  if (first === undefined) return [];
  if (first === "profiles") return offer(await spec.profiles());
  if (first === "commands") return offer(spec.commands);
  return offer(first);
}

async function optionValues(spec: CompletionSpec, key: string): Promise<readonly string[]> {
  const values = spec.values[key];
  if (values === undefined) return [];
  if (values === "profiles") return spec.profiles();
  if (typeof values === "function") return values();
  return values;
}
