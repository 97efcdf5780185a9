/**
 * The environment of a child served by a local credential server, built as
 * a value: exec's usual environment (inherited credentials and profile
 * selectors removed, region, AWSMFA_PROFILE, AWS_VAULT) without static keys,
 * and the variables that point the SDKs at the server. Variables that would
 * take precedence over ours in some SDK are removed (a relative container
 * URI wins over the full one, a token file over the token, and
 * AWS_EC2_METADATA_DISABLED turns IMDS off).
 */
import type { Env } from "../platform/env.ts";
import { buildChildEnv } from "../output/childEnv.ts";
import { credentialVariables } from "../output/credentials.ts";

const CONTAINER_VARS = [
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
] as const;
const IMDS_VARS = [
  "AWS_EC2_METADATA_SERVICE_ENDPOINT",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
  "AWS_EC2_METADATA_DISABLED",
  "AWS_EC2_METADATA_V1_DISABLED",
] as const;

export type ServedBy =
  | { readonly kind: "container"; readonly url: string; readonly token: string }
  | { readonly kind: "imds"; readonly url: string };

export function serverChildEnv(
  parent: Env,
  profile: string,
  region: string | undefined,
  served: ServedBy,
): Record<string, string> {
  // exec's environment, built by the one function that decides what a
  // child inherits; the credential variables it adds are taken out again
  // (the child must ask the server, so it follows refreshes).
  const env = buildChildEnv(parent, { accessKeyId: "", secretAccessKey: "", region }, profile);
  for (const [name] of credentialVariables({ accessKeyId: "", secretAccessKey: "" })) {
    Reflect.deleteProperty(env, name);
  }
  for (const name of [...CONTAINER_VARS, ...IMDS_VARS]) Reflect.deleteProperty(env, name);
  if (served.kind === "container") {
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${served.url}/`;
    env.AWS_CONTAINER_AUTHORIZATION_TOKEN = served.token;
  } else {
    env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `${served.url}/`;
  }
  return env;
}
