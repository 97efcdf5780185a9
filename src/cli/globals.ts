/**
 * Global options: flag, else our variable, else aws-vault's (for users
 * migrating from it).
 */
import { usageError } from "../errors.ts";
import { resolveBackendName } from "../store/backendName.ts";
import { nonEmpty, type Env } from "../platform/env.ts";
import { isPromptName, PROMPT_NAMES, type PromptName } from "../mfa/promptNames.ts";
import type { GlobalOptions } from "./context.ts";

export interface GlobalFlagValues {
  readonly backend?: string;
  readonly "file-dir"?: string;
  readonly prompt?: string;
  readonly debug?: boolean;
}

/**
 * How an MFA code is asked for: --prompt, else AWSMFA_PROMPT, else
 * aws-vault's AWS_VAULT_PROMPT. Ours must name a prompt we have; aws-vault's
 * is used when it does and otherwise left alone (a shell that still exports
 * AWS_VAULT_PROMPT=wincredui must not break every credential_process call
 * after the move to awsmfa).
 */
function resolvePrompt(values: GlobalFlagValues, env: Env): PromptName | undefined {
  const given: [string, string][] = [];
  if (values.prompt !== undefined) given.push([values.prompt, "--prompt"]);
  const ours = nonEmpty(env.AWSMFA_PROMPT);
  if (ours !== undefined) given.push([ours, "AWSMFA_PROMPT"]);
  const theirs = nonEmpty(env.AWS_VAULT_PROMPT);
  if (theirs !== undefined && isPromptName(theirs)) given.push([theirs, "AWS_VAULT_PROMPT"]);
  const first = given[0];
  if (first === undefined) return undefined;
  const [value, from] = first;
  if (!isPromptName(value)) {
    throw usageError(
      `Prompt '${value}' (from ${from}) is not supported.`,
      `Use one of: ${PROMPT_NAMES.join(", ")}; or set mfa_process in the profile to a command that prints the code.`,
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

/** The global options splitGlobals pulled out of argv, resolved with the environment. */
export function globalsOf(
  split: Readonly<Record<string, string | boolean>>,
  env: Env,
): GlobalOptions {
  const str = (k: string): string | undefined => {
    const v = split[k];
    return typeof v === "string" ? v : undefined;
  };
  const backend = str("backend");
  const fileDir = str("file-dir");
  const prompt = str("prompt");
  return resolveGlobals(
    {
      ...(backend === undefined ? {} : { backend }),
      ...(fileDir === undefined ? {} : { "file-dir": fileDir }),
      ...(prompt === undefined ? {} : { prompt }),
      ...(split.debug === true ? { debug: true } : {}),
    },
    env,
  );
}
