import { isoSeconds } from "../platform/isoSeconds.ts";
import { checkCredentialValues, type OutputCredentials } from "../credentialValues.ts";

/**
 * The AWS `credential_process` output, Version 1. Expiration is left out for
 * long-term keys: the SDKs then treat the credentials as not expiring.
 */
export function formatCredentialProcess(c: OutputCredentials): string {
  checkCredentialValues(c);
  const out: Record<string, string | number> = {
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
  };
  if (c.sessionToken !== undefined) out.SessionToken = c.sessionToken;
  if (c.expiration !== undefined) out.Expiration = isoSeconds(c.expiration);
  return JSON.stringify(out) + "\n";
}

/** `--format json`: the STS Credentials shape, plus Region when known. */
export function formatJson(c: OutputCredentials): string {
  checkCredentialValues(c);
  const out: Record<string, string> = {
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
  };
  if (c.sessionToken !== undefined) out.SessionToken = c.sessionToken;
  if (c.expiration !== undefined) out.Expiration = isoSeconds(c.expiration);
  if (c.region !== undefined) out.Region = c.region;
  return JSON.stringify(out, null, 2) + "\n";
}

/** `--format ini`: a credentials-file section for the profile. */
export function formatIni(c: OutputCredentials, section: string): string {
  checkCredentialValues(c);
  const lines = [
    `[${section}]`,
    `aws_access_key_id = ${c.accessKeyId}`,
    `aws_secret_access_key = ${c.secretAccessKey}`,
  ];
  if (c.sessionToken !== undefined) lines.push(`aws_session_token = ${c.sessionToken}`);
  if (c.expiration !== undefined) lines.push(`expiration = ${isoSeconds(c.expiration)}`);
  if (c.region !== undefined) lines.push(`region = ${c.region}`);
  return lines.join("\n") + "\n";
}
