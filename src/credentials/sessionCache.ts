/**
 * Cached sessions live in the secret store (kind "session"), never in a
 * plain file. An entry is used while more than five minutes remain; an
 * expired or unreadable one is dropped, not returned.
 */
import { parseStoredSession, type SecretStore, type StoredSession } from "../store/SecretStore.ts";
import type { TemporaryCredentials } from "../aws/StsClient.ts";
import { parseCacheKey, usesProfile, type CacheKeyInfo } from "./cacheKey.ts";

/** Credentials with less than this left are not handed out. */
export const EXPIRY_WINDOW_MS = 5 * 60_000;

export type CacheLookup =
  | { readonly hit: true; readonly credentials: TemporaryCredentials }
  | { readonly hit: false; readonly why: "missing" | "expiring" | "unreadable" };

/**
 * `drop`: remove an expiring or unreadable entry. Only a caller holding the
 * entry's lock may: outside it, the entry may already be the fresh one
 * another process just wrote under that lock.
 */
export async function readCachedSession(
  store: SecretStore,
  key: string,
  nowMs: number,
  drop = false,
): Promise<CacheLookup> {
  const raw = await store.get("session", key);
  if (raw === undefined) return { hit: false, why: "missing" };
  const creds = parseCachedSession(raw);
  if (creds === undefined) {
    if (drop) await store.remove("session", key);
    return { hit: false, why: "unreadable" };
  }
  if (creds.expiration.getTime() - nowMs <= EXPIRY_WINDOW_MS) {
    if (drop) await store.remove("session", key);
    return { hit: false, why: "expiring" };
  }
  return { hit: true, credentials: creds };
}

export async function writeCachedSession(
  store: SecretStore,
  key: string,
  creds: TemporaryCredentials,
): Promise<void> {
  const value: StoredSession = {
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
    expiration: creds.expiration.toISOString(),
  };
  await store.set("session", key, JSON.stringify(value));
}

export async function dropCachedSession(store: SecretStore, key: string): Promise<void> {
  await store.remove("session", key);
}

/**
 * Removes cached sessions: all of them, or every one obtained with the
 * credentials of one profile: its GetSessionToken sessions (signed with its
 * keys), its own role sessions, and the role sessions of every profile whose
 * chain passes through or roots at it (the role key names them; see
 * cacheKey.ts). `alsoKeys` adds exact names (so clearing "caktus-mfa" can
 * also drop the session it shares with its source "caktus"). Returns the
 * names removed. `keep`: names never removed (a Vault entry whose lease could
 * not be revoked).
 */
export async function clearSessions(
  store: SecretStore,
  profile?: string,
  alsoKeys: readonly string[] = [],
  keep: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const removed: string[] = [];
  const extra = new Set(alsoKeys);
  for (const ref of await store.list("session")) {
    if (keep.has(ref.name)) continue;
    let match = profile === undefined || extra.has(ref.name);
    if (!match && profile !== undefined) {
      const info = parseCacheKey(ref.name);
      match = info !== undefined && usesProfile(info, profile);
    }
    if (match && (await store.remove("session", ref.name))) removed.push(ref.name);
  }
  return removed;
}

function parseCachedSession(raw: string): TemporaryCredentials | undefined {
  const stored = parseStoredSession(raw);
  return stored === undefined ? undefined : { ...stored, expiration: new Date(stored.expiration) };
}

export interface CachedSessionInfo {
  readonly name: string;
  /** What the name says (undefined for names that are not ours). */
  readonly info: CacheKeyInfo | undefined;
  /** undefined when the entry is unreadable. */
  readonly expiration: Date | undefined;
  /** false when 5 minutes or less remain (it would not be handed out). */
  readonly usable: boolean;
}

/**
 * Every cached session with its expiry, for `awsmfa list`. Reads the values
 * (to learn the expiry) but returns nothing secret.
 */
export async function listCachedSessions(
  store: SecretStore,
  nowMs: number,
): Promise<CachedSessionInfo[]> {
  const out: CachedSessionInfo[] = [];
  for (const ref of await store.list("session")) {
    const raw = await store.get("session", ref.name);
    const creds = raw === undefined ? undefined : parseCachedSession(raw);
    const expiration = creds?.expiration;
    out.push({
      name: ref.name,
      info: parseCacheKey(ref.name),
      expiration,
      usable: expiration !== undefined && expiration.getTime() - nowMs > EXPIRY_WINDOW_MS,
    });
  }
  return out;
}
