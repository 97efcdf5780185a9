import { isoSeconds } from "../platform/isoSeconds.ts";

// Re-exported for src/cli/commands/write.ts, which another change is editing;
// new code imports it from src/platform/isoSeconds.ts.
export { isoSeconds };

/** Temporary or long-term credentials as the formatters see them. */
export interface OutputCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
  readonly region?: string | undefined;
}

/** The environment variables that carry credentials, in a fixed order. */
export function credentialVariables(c: OutputCredentials): [name: string, value: string][] {
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
