/**
 * Where and what to ask Vault (or OpenBao) for a profile: its vault_* keys,
 * with the vault CLI's environment variables as the fallbacks it documents.
 */
import { AwsmfaError } from "../errors.ts";
import type { ProfileConfig } from "../config/types.ts";
import { nonBlank, type Env } from "../platform/env.ts";

export interface VaultTls {
  /** VAULT_CACERT / BAO_CACERT: a PEM file to trust instead of the system's CAs. */
  readonly caCertFile: string | undefined;
  /** VAULT_SKIP_VERIFY / BAO_SKIP_VERIFY: no certificate check at all (warned about). */
  readonly skipVerify: boolean;
}

export interface VaultServer {
  /** No trailing slash. */
  readonly addr: string;
  readonly namespace: string | undefined;
  readonly tls: VaultTls;
}

export interface VaultTarget extends VaultServer {
  /** mount/creds/NAME or mount/sts/NAME, no leading slash. */
  readonly path: string;
  /** "sts": always STS credentials; "creds": whatever the role's credential_type gives. */
  readonly endpoint: "creds" | "sts";
  readonly ttl: string | undefined;
  readonly roleArn: string | undefined;
}

const truthy = (v: string | undefined): boolean =>
  v !== undefined && !["", "0", "false", "f", "no"].includes(v.trim().toLowerCase());

/** The server half, from an explicit address (vault_addr, --address) or the environment. */
export function vaultServer(
  env: Env,
  addr: string | undefined,
  namespace: string | undefined,
  what: string,
): VaultServer {
  const address = nonBlank(addr) ?? nonBlank(env.VAULT_ADDR) ?? nonBlank(env.BAO_ADDR);
  if (address === undefined) {
    throw new AwsmfaError("E_VAULT_NO_ADDR", `No Vault address for ${what}.`, {
      hint: "Set vault_addr in the profile, or VAULT_ADDR (BAO_ADDR for OpenBao).",
    });
  }
  return {
    addr: address.trim().replace(/\/+$/, ""),
    namespace: nonBlank(namespace) ?? nonBlank(env.VAULT_NAMESPACE) ?? nonBlank(env.BAO_NAMESPACE),
    tls: {
      caCertFile: nonBlank(env.VAULT_CACERT) ?? nonBlank(env.BAO_CACERT),
      skipVerify: truthy(env.VAULT_SKIP_VERIFY) || truthy(env.BAO_SKIP_VERIFY),
    },
  };
}

/** The profile's target; the keys were checked by validateVaultKeys when the profile resolved. */
export function vaultTarget(p: ProfileConfig, env: Env): VaultTarget {
  const raw = p.vaultPath?.trim().replace(/^\/+/, "");
  if (raw === undefined) throw new Error(`profile ${p.name} has no vault_path`);
  const endpoint = /\/sts\/[^/]+$/.test(raw) ? "sts" : "creds";
  return {
    ...vaultServer(
      env,
      p.vaultAddr,
      p.vaultNamespace,
      `profile ${p.name}${where(p.where.vault_path)}`,
    ),
    path: raw,
    endpoint,
    ttl: nonBlank(p.vaultTtl)?.trim(),
    roleArn: nonBlank(p.vaultRoleArn)?.trim(),
  };
}

/** " (file:line)", or nothing. */
function where(w: { file: string; line: number } | undefined): string {
  return w === undefined ? "" : ` (${w.file}:${String(w.line)})`;
}
