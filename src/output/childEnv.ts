/**
 * The environment `awsmfa exec` gives its child, built as a value.
 *
 * Inherited credentials and profile selectors are removed first so the
 * child sees exactly one set of credentials: ours. (Inside an awsmfa
 * subshell, AWS_* from the parent are never reused as a source.) The file
 * store's passphrase is not passed on either (see inheritedEnv).
 */
import { inheritedEnv } from "../platform/inheritedEnv.ts";
import { credentialVariables, type OutputCredentials } from "./credentials.ts";
import type { Env } from "../platform/env.ts";

const REMOVED = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
] as const;

export function buildChildEnv(
  parent: Env,
  creds: OutputCredentials,
  profile: string,
): Record<string, string> {
  const env = inheritedEnv(parent);
  for (const k of REMOVED) Reflect.deleteProperty(env, k);
  for (const [k, v] of credentialVariables(creds)) env[k] = v;
  env.AWSMFA_PROFILE = profile;
  // aws-vault's name for it: shell prompts (starship, oh-my-zsh) show it.
  env.AWS_VAULT = profile;
  return env;
}
