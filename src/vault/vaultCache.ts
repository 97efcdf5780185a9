/**
 * Vault-issued credentials in the secret store (kind "session", so `list`
 * shows their expiry and `clear` removes them), with the lease they belong
 * to, so `awsmfa clear` can revoke it. Named
 *
 *   vault|<profile>|<hash of address, namespace, path, ttl, role_arn>
 *
 * (the profile percent-encoded as in cacheKey.ts). The value is a stored
 * session (an iam_user lease's is "" for sessionToken) plus the lease and
 * where it came from.
 */
import { createHash } from "node:crypto";
import { parseStoredSession, type SecretStore } from "../store/SecretStore.ts";
import type { VaultServer, VaultTarget } from "./vaultTarget.ts";
import { jsonField } from "./jsonField.ts";

const PREFIX = "vault|";
const enc = (s: string) => s.replace(/%/g, "%25").replace(/\|/g, "%7C").replace(/,/g, "%2C");
const dec = (s: string) => s.replace(/%7C/gi, "|").replace(/%2C/gi, ",").replace(/%25/g, "%");

export interface VaultCacheEntry {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  readonly expiration: Date;
  readonly leaseId: string;
  readonly addr: string;
  readonly namespace: string | undefined;
  readonly path: string;
}

export function vaultCacheKey(profile: string, t: VaultTarget): string {
  const hash = createHash("sha256")
    .update(JSON.stringify([t.addr, t.namespace ?? "", t.path, t.ttl ?? "", t.roleArn ?? ""]))
    .digest("hex")
    .slice(0, 16);
  return `${PREFIX}${enc(profile)}|${hash}`;
}

/** The profile a vault cache name belongs to; undefined for other names. */
export function vaultCacheProfile(name: string): string | undefined {
  if (!name.startsWith(PREFIX)) return undefined;
  const parts = name.split("|");
  return parts.length === 3 && parts[1] !== undefined ? dec(parts[1]) : undefined;
}

export function vaultEntryValue(e: VaultCacheEntry): string {
  return JSON.stringify({
    accessKeyId: e.accessKeyId,
    secretAccessKey: e.secretAccessKey,
    sessionToken: e.sessionToken ?? "",
    expiration: e.expiration.toISOString(),
    leaseId: e.leaseId,
    addr: e.addr,
    ...(e.namespace === undefined ? {} : { namespace: e.namespace }),
    path: e.path,
  });
}

/** undefined when missing or unreadable. */
export async function readVaultEntry(
  store: SecretStore,
  key: string,
): Promise<VaultCacheEntry | undefined> {
  const raw = await store.get("session", key);
  if (raw === undefined) return undefined;
  const s = parseStoredSession(raw);
  if (s === undefined) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const str = (k: string): string | undefined => {
    const v = jsonField(o, k);
    return typeof v === "string" ? v : undefined;
  };
  const addr = str("addr");
  const path = str("path");
  if (addr === undefined || path === undefined) return undefined;
  return {
    accessKeyId: s.accessKeyId,
    secretAccessKey: s.secretAccessKey,
    sessionToken: s.sessionToken === "" ? undefined : s.sessionToken,
    expiration: new Date(s.expiration),
    leaseId: str("leaseId") ?? "",
    addr,
    namespace: str("namespace"),
    path,
  };
}

/** The server an entry's lease lives on, with today's TLS settings. */
export function entryServer(e: VaultCacheEntry, tls: VaultServer["tls"]): VaultServer {
  return { addr: e.addr, namespace: e.namespace, tls };
}
