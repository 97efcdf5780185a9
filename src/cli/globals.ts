/**
 * Global options: flag, else our variable, else aws-vault's (for users
 * migrating from it).
 */
import { usageError } from "../errors.ts";
import { resolveBackendName } from "../store/backendName.ts";
import { nonEmpty, type Env } from "../platform/env.ts";
import type { GlobalOptions } from "./context.ts";

export interface GlobalFlagValues {
  readonly backend?: string;
  readonly "file-dir"?: string;
  readonly prompt?: string;
  readonly debug?: boolean;
}

/**
 * How an MFA code is asked for. Only the terminal (/dev/tty) for now;
 * aws-vault's other prompts (ykman, osascript, zenity, ...) map onto a
 * profile's mfa_process, which runs any command that prints the code.
 */
const PROMPTS = ["terminal"] as const;

function resolvePrompt(values: GlobalFlagValues, env: Env): string | undefined {
  const given: [string, string][] = [];
  if (values.prompt !== undefined) given.push([values.prompt, "--prompt"]);
  const ours = nonEmpty(env.AWSMFA_PROMPT);
  if (ours !== undefined) given.push([ours, "AWSMFA_PROMPT"]);
  // aws-vault's variable is honoured only where it means what ours can do:
  // a shell that still exports AWS_VAULT_PROMPT=ykman must not break every
  // credential_process call after the move to awsmfa.
  const theirs = nonEmpty(env.AWS_VAULT_PROMPT);
  if (theirs === "terminal") given.push([theirs, "AWS_VAULT_PROMPT"]);
  const first = given[0];
  if (first === undefined) return undefined;
  const [value, from] = first;
  if (!(PROMPTS as readonly string[]).includes(value)) {
    throw usageError(
      `Prompt '${value}' (from ${from}) is not supported.`,
      `Use --prompt terminal, or set mfa_process in the profile to a command that prints the code (e.g. mfa_process = ykman oath accounts code --single NAME).`,
    );
  }
  return value;
}

export function resolveGlobals(values: GlobalFlagValues, env: Env): GlobalOptions {
  const backend = resolveBackendName({ flag: values.backend, env });
  return {
    backend: backend?.name,
    backendNote: backend?.note,
    fileDir: values["file-dir"] ?? nonEmpty(env.AWSMFA_FILE_DIR),
    prompt: resolvePrompt(values, env),
    debug: values.debug === true || env.AWSMFA_DEBUG === "1",
  };
}
