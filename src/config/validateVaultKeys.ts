/**
 * The vault_* keys of a profile (HashiCorp Vault / OpenBao AWS secrets
 * engine, src/vault/): each problem points at file:line with what to write.
 */
import type { ProfileConfig } from "./types.ts";
import { isEndpointUrl, isRoleArn, ROLE_ARN_HINT } from "./validate.ts";

export interface VaultKeyProblem {
  readonly key: string;
  readonly what: string;
  readonly hint: string;
}

/** mount/creds/NAME or mount/sts/NAME; the mount may have several segments. */
export const VAULT_PATH = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*\/(creds|sts)\/[A-Za-z0-9_.@-]+$/;
const VAULT_TTL = /^\d{1,9}[smh]?$/;

export function vaultKeyProblems(p: ProfileConfig): VaultKeyProblem[] {
  const out: VaultKeyProblem[] = [];
  const raw = (key: string): string | undefined =>
    Object.hasOwn(p.raw, key) ? p.raw[key] : undefined;
  const path = raw("vault_path");
  if (path !== undefined && !VAULT_PATH.test(path.trim().replace(/^\/+/, ""))) {
    out.push({
      key: "vault_path",
      what: `is '${path}', not a path of the AWS secrets engine.`,
      hint: "Write vault_path = aws/creds/ROLE or aws/sts/ROLE (the mount, creds or sts, the Vault role).",
    });
  }
  for (const key of ["vault_addr", "vault_ttl", "vault_role_arn", "vault_namespace"]) {
    if (raw(key) !== undefined && path === undefined) {
      out.push({
        key,
        what: "is set without vault_path, so nothing reads it.",
        hint: "Add vault_path = aws/creds/ROLE (or aws/sts/ROLE), or remove the key.",
      });
    }
  }
  const addr = raw("vault_addr");
  if (addr !== undefined && !isEndpointUrl(addr)) {
    out.push({
      key: "vault_addr",
      what: `is '${addr}', not an http(s) URL.`,
      hint: "Use the address the vault CLI uses (VAULT_ADDR), such as https://vault.example:8200.",
    });
  }
  const ttl = raw("vault_ttl");
  if (ttl !== undefined && !VAULT_TTL.test(ttl.trim())) {
    out.push({
      key: "vault_ttl",
      what: `is '${ttl}', not a duration.`,
      hint: "Write seconds (3600) or a number with s, m or h (60m, 1h).",
    });
  }
  const roleArn = raw("vault_role_arn");
  if (roleArn !== undefined && !isRoleArn(roleArn)) {
    out.push({
      key: "vault_role_arn",
      what: `is '${roleArn}', not an IAM role ARN.`,
      hint: ROLE_ARN_HINT,
    });
  }
  return out;
}
