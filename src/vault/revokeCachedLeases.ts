/**
 * `awsmfa clear`: revoke the Vault leases behind cached Vault credentials
 * (all of them, or one profile's) and remove those entries. A lease Vault
 * would not revoke keeps its entry, so a later `clear` can try again.
 */
import { isAwsmfaError } from "../errors.ts";
import type { Env } from "../platform/env.ts";
import type { SecretStore } from "../store/SecretStore.ts";
import { revokeLease } from "./revokeLease.ts";
import { entryServer, readVaultEntry, vaultCacheProfile } from "./vaultCache.ts";
import { vaultServer } from "./vaultTarget.ts";
import { findVaultToken } from "./vaultToken.ts";

export interface LeaseRevocation {
  /** The store name of the cached entry. */
  readonly name: string;
  readonly profile: string;
  /** "" when Vault gave no lease (nothing to revoke). */
  readonly leaseId: string;
  readonly ok: boolean;
  /** Why it could not be revoked (already a full sentence with a hint). */
  readonly why?: string;
}

export interface RevokeDeps {
  readonly store: SecretStore;
  readonly env: Env;
  readonly homedir: string;
  readonly debug: (m: string) => void;
}

export async function revokeCachedLeases(
  deps: RevokeDeps,
  profile: string | undefined,
): Promise<LeaseRevocation[]> {
  const out: LeaseRevocation[] = [];
  for (const ref of await deps.store.list("session")) {
    const owner = vaultCacheProfile(ref.name);
    if (owner === undefined || (profile !== undefined && owner !== profile)) continue;
    const entry = await readVaultEntry(deps.store, ref.name);
    if (entry === undefined || entry.leaseId === "") {
      await deps.store.remove("session", ref.name);
      out.push({ name: ref.name, profile: owner, leaseId: "", ok: true });
      continue;
    }
    try {
      const tls = vaultServer(deps.env, entry.addr, entry.namespace, `profile ${owner}`).tls;
      const server = entryServer(entry, tls);
      const who = `profile ${owner}`;
      const found = await findVaultToken(deps.env, deps.homedir, deps.store, server);
      await revokeLease({ server, who, tokenFrom: found?.from }, found?.token ?? "", entry.leaseId);
      deps.debug(`revoked Vault lease ${entry.leaseId} of profile ${owner}`);
      await deps.store.remove("session", ref.name);
      out.push({ name: ref.name, profile: owner, leaseId: entry.leaseId, ok: true });
    } catch (e) {
      if (!isAwsmfaError(e)) throw e;
      out.push({
        name: ref.name,
        profile: owner,
        leaseId: entry.leaseId,
        ok: false,
        why: `${e.message}${e.hint === undefined ? "" : ` ${e.hint}`}`,
      });
    }
  }
  return out;
}
