import { checkCredentialValues, type OutputCredentials } from "../credentialValues.ts";
import { isoSeconds } from "../platform/isoSeconds.ts";

export type { OutputCredentials };

/** The environment variables that carry credentials, in a fixed order. */
export function credentialVariables(c: OutputCredentials): [name: string, value: string][] {
  checkCredentialValues(c);
  const vars: [string, string][] = [
    ["AWS_ACCESS_KEY_ID", c.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", c.secretAccessKey],
  ];
  if (c.sessionToken !== undefined) vars.push(["AWS_SESSION_TOKEN", c.sessionToken]);
  if (c.expiration !== undefined) {
    vars.push(["AWS_CREDENTIAL_EXPIRATION", isoSeconds(c.expiration)]);
  }
  if (c.region !== undefined) {
    vars.push(["AWS_REGION", c.region], ["AWS_DEFAULT_REGION", c.region]);
  }
  return vars;
}
