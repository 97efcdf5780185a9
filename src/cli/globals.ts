/**
 * Global options: flag, else our variable, else aws-vault's (for users
 * migrating from it).
 */
import { usageError } from "../errors.ts";
import type { BackendName } from "../store/SecretStore.ts";
import type { Env, GlobalOptions } from "./context.ts";

const BACKENDS: readonly BackendName[] = [
  "file",
  "keychain",
  "secret-service",
  "wincred",
  "keyutils",
  "pass",
];

export const globalOptionSpec = {
  backend: { type: "string" },
  "file-dir": { type: "string" },
  prompt: { type: "string" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** aws-vault calls some backends by other names. */
const AWS_VAULT_BACKEND_NAMES: Readonly<Record<string, BackendName>> = {
  keyctl: "keyutils",
};

export function parseBackend(value: string, from: string): BackendName {
  const mapped = AWS_VAULT_BACKEND_NAMES[value] ?? value;
  const found = BACKENDS.find((b) => b === mapped);
  if (found === undefined) {
    throw usageError(
      `Unknown backend '${value}' (from ${from}).`,
      `Use one of: ${BACKENDS.join(", ")}.`,
    );
  }
  return found;
}

export function resolveGlobals(
  values: { backend?: string; "file-dir"?: string; prompt?: string; debug?: boolean },
  env: Env,
): GlobalOptions {
  const pick = (flag: string | undefined, ...vars: string[]): [string, string] | undefined => {
    if (flag !== undefined) return [flag, "--backend"];
    for (const v of vars) {
      const value = env[v];
      if (value !== undefined && value !== "") return [value, v];
    }
    return undefined;
  };
  const backend = pick(values.backend, "AWSMFA_BACKEND", "AWS_VAULT_BACKEND");
  return {
    backend: backend === undefined ? undefined : parseBackend(backend[0], backend[1]),
    fileDir: values["file-dir"] ?? nonEmpty(env.AWSMFA_FILE_DIR),
    prompt: values.prompt ?? nonEmpty(env.AWSMFA_PROMPT) ?? nonEmpty(env.AWS_VAULT_PROMPT),
    debug: values.debug === true || env.AWSMFA_DEBUG === "1",
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
