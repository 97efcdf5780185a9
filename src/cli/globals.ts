/**
 * Global options: flag, else our variable, else aws-vault's (for users
 * migrating from it).
 */
import { resolveBackendName } from "../store/keyring/detect.ts";
import type { Env, GlobalOptions } from "./context.ts";

export interface GlobalFlagValues {
  readonly backend?: string;
  readonly "file-dir"?: string;
  readonly prompt?: string;
  readonly debug?: boolean;
}

export function resolveGlobals(values: GlobalFlagValues, env: Env): GlobalOptions {
  const backend = resolveBackendName({ flag: values.backend, env });
  return {
    backend: backend?.name,
    backendNote: backend?.note,
    fileDir: values["file-dir"] ?? nonEmpty(env.AWSMFA_FILE_DIR),
    prompt: values.prompt ?? nonEmpty(env.AWSMFA_PROMPT) ?? nonEmpty(env.AWS_VAULT_PROMPT),
    debug: values.debug === true || env.AWSMFA_DEBUG === "1",
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
