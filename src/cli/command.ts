import type { OptionSpec } from "./args.ts";
import type { CliContext, GlobalOptions } from "./context.ts";

/** What every command module exports. */
export interface CommandModule {
  readonly usage: string;
  /** The options it parses (what `awsmfa completion` offers after the command). */
  readonly options?: OptionSpec;
  run(input: CommandInput): Promise<number>;
}

export interface CommandInput {
  readonly ctx: CliContext;
  readonly globals: GlobalOptions;
  /** The command's own arguments (global options already removed). */
  readonly argv: readonly string[];
  /** Writes a debug line to stderr when --debug is on; secrets must be redacted by the caller. */
  readonly debug: (message: string) => void;
}
