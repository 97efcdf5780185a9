/**
 * The environment a process awsmfa starts inherits: every variable of ours
 * except the file store's passphrase. An `exec` child, a credential_process,
 * a mfa_process or a keyring/pass helper never needs it, and each may log its
 * environment, dump it in a crash report or hand it on to anything it runs.
 * A nested awsmfa (a credential_process calling awsmfa, `awsmfa exec` inside
 * an awsmfa shell) asks for the passphrase on the terminal instead.
 */
import type { Env } from "./env.ts";

export const STORE_SECRET_VARS: readonly string[] = [
  "AWSMFA_FILE_PASSPHRASE",
  // Read when ours is unset (aws-vault users migrating): the same secret.
  "AWS_VAULT_FILE_PASSPHRASE",
];

export function inheritedEnv(parent: Env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) {
    if (v !== undefined && !STORE_SECRET_VARS.includes(k)) env[k] = v;
  }
  return env;
}
