/**
 * Credentials from the AWS secrets engine: GET mount/creds/NAME (any
 * credential_type; iam_user gives long-term keys of a new IAM user) or
 * POST mount/sts/NAME (STS credentials only), with ttl, role_arn and, for a
 * session_token role that names an MFA device, mfa_code.
 * https://developer.hashicorp.com/vault/api-docs/secret/aws#generate-credentials
 */
import { AwsmfaError } from "../errors.ts";
import { callVault, type CallVaultContext } from "./callVault.ts";
import { jsonField } from "./jsonField.ts";
import type { VaultTarget } from "./vaultTarget.ts";

export interface VaultAwsCreds {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Absent for iam_user leases (long-term keys of a user Vault created). */
  readonly sessionToken: string | undefined;
  /** For `vault lease revoke`; "" when Vault gave none. */
  readonly leaseId: string;
  readonly leaseSeconds: number;
}

export async function readAwsCreds(
  target: VaultTarget,
  ctx: CallVaultContext,
  token: string,
  /** For a session_token role with mfa_serial_number (sts/ only). */
  mfaCode?: string,
): Promise<VaultAwsCreds> {
  const params: Record<string, string> = {};
  if (mfaCode !== undefined) params.mfa_code = mfaCode;
  if (target.ttl !== undefined) params.ttl = target.ttl;
  if (target.roleArn !== undefined) params.role_arn = target.roleArn;
  const json = await callVault(
    ctx,
    target.endpoint === "sts"
      ? { method: "POST", path: target.path, token, body: params }
      : { method: "GET", path: target.path, token, query: params },
  );
  const data = jsonField(json, "data");
  const str = (k: string): string | undefined => {
    const v = jsonField(data, k);
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const accessKeyId = str("access_key");
  const secretAccessKey = str("secret_key");
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new AwsmfaError(
      "E_VAULT_NOT_AWS",
      `Vault's answer for ${target.path} (${ctx.who}) has no access_key and secret_key.`,
      { hint: "vault_path must name the AWS secrets engine's creds/ROLE or sts/ROLE." },
    );
  }
  const lease = jsonField(json, "lease_id");
  const seconds = jsonField(json, "lease_duration");
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken: str("security_token") ?? str("session_token"),
    leaseId: typeof lease === "string" ? lease : "",
    leaseSeconds: typeof seconds === "number" && seconds > 0 ? seconds : 3600,
  };
}
