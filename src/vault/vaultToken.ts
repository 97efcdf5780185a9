/**
 * The Vault token, where the vault CLI looks for it, then ours:
 * VAULT_TOKEN, BAO_TOKEN, ~/.vault-token (what 'vault login' writes), else
 * what 'awsmfa vault login' stored for this address (encrypted, in the
 * store). Never from argv, never logged.
 */
import { join } from "node:path";
import { readRegularFile } from "../platform/readRegularFile.ts";
import { nonBlank, type Env } from "../platform/env.ts";
import type { SecretStore } from "../store/SecretStore.ts";
import type { TokenOrigin } from "./vaultErrors.ts";
import type { VaultServer } from "./vaultTarget.ts";

export interface FoundToken {
  readonly token: string;
  readonly from: TokenOrigin;
}

/** The store's name for a server's token: its address, and namespace when there is one. */
export function tokenItemName(server: Pick<VaultServer, "addr" | "namespace">): string {
  return server.namespace === undefined ? server.addr : `${server.addr}|${server.namespace}`;
}

export async function findVaultToken(
  env: Env,
  homedir: string,
  store: SecretStore,
  server: VaultServer,
): Promise<FoundToken | undefined> {
  const fromEnv = nonBlank(env.VAULT_TOKEN);
  if (fromEnv !== undefined) return { token: fromEnv, from: "VAULT_TOKEN" };
  const fromBao = nonBlank(env.BAO_TOKEN);
  if (fromBao !== undefined) return { token: fromBao, from: "BAO_TOKEN" };
  const file = await readRegularFile(join(homedir, ".vault-token"));
  if (file.kind === "file") {
    const t = nonBlank(file.bytes.toString("utf8"));
    if (t !== undefined) return { token: t, from: "~/.vault-token" };
  }
  const stored = await store.get("vault-token", tokenItemName(server));
  const t = stored === undefined ? undefined : parseStoredToken(stored);
  return t === undefined ? undefined : { token: t, from: "the awsmfa store" };
}

/** What a "vault-token" item holds. */
export function storedTokenValue(token: string, savedAtIso: string): string {
  return JSON.stringify({ token, savedAt: savedAtIso });
}

function parseStoredToken(raw: string): string | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    const t: unknown = typeof v === "object" && v !== null ? Reflect.get(v, "token") : undefined;
    return typeof t === "string" && t !== "" ? t : undefined;
  } catch {
    return undefined;
  }
}
