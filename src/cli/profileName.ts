import { usageError } from "../errors.ts";
import type { Env } from "../platform/env.ts";

/**
 * A profile name as it can stand in a section header and a store item name:
 * not empty, no brackets, no line breaks, no surrounding spaces.
 */
export function checkProfileName(name: string, command: string): string {
  if (name === "" || /[[\]\r\n\0]/.test(name) || name.trim() !== name) {
    throw usageError(
      `${command}: '${name.replace(/[\r\n\0]/g, "?")}' is not a usable profile name.`,
      "A profile name has no brackets, line breaks or surrounding spaces.",
    );
  }
  return name;
}

/** The profile named on the command line, else AWS_PROFILE, else undefined. */
export function profileFromArgs(
  positional: string | undefined,
  env: Env,
): { name: string; from: "argument" | "AWS_PROFILE" } | undefined {
  if (positional !== undefined) return { name: positional, from: "argument" };
  const fromEnv = env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE;
  if (fromEnv !== undefined && fromEnv !== "") return { name: fromEnv, from: "AWS_PROFILE" };
  return undefined;
}
