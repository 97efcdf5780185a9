/** The JSON bodies the SDKs parse, built as values (pure). */
import { isoSeconds } from "../platform/isoSeconds.ts";
import type { ServedCredentials } from "./servedCredentials.ts";

/** The container-credentials (ECS task role) shape. */
export function containerCredentialsBody(c: ServedCredentials): string {
  return JSON.stringify({
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    Token: c.sessionToken,
    Expiration: isoSeconds(c.expiration),
  });
}

/** The EC2 instance metadata `iam/security-credentials/<role>` shape. */
export function imdsCredentialsBody(c: ServedCredentials, lastUpdated: Date): string {
  return JSON.stringify({
    Code: "Success",
    LastUpdated: isoSeconds(lastUpdated),
    Type: "AWS-HMAC",
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    Token: c.sessionToken,
    Expiration: isoSeconds(c.expiration),
  });
}
