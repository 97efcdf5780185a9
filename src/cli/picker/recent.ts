/**
 * The most-recently-used profile list the picker orders by:
 * `<store dir>/recent.json`, `{ "version": 1, "profiles": ["newest", ...] }`.
 * Profile names only, nothing secret; still written as every awsmfa file
 * (atomic, 0600, under its lock).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileStoreDir } from "../../store/backendContext.ts";
import type { CommandInput } from "../command.ts";
import { isErrno, writeFileAtomic } from "../../platform/fs.ts";
import { withLock } from "../../platform/lock.ts";

/** Where the list lives: beside the file store, whatever the backend. */
export function recentFile(input: CommandInput): string {
  return join(
    fileStoreDir({
      env: input.ctx.env,
      fileDir: input.globals.fileDir,
      homedir: input.ctx.homedir,
    }),
    "recent.json",
  );
}

/** Enough for any picker screen; older names fall off. */
export const RECENT_MAX = 50;

/** Names, newest first. A missing or unreadable file is an empty list (it is only an ordering hint). */
export async function readRecent(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if (isErrno(e, "ENOENT")) return [];
    throw e;
  }
  return parseRecent(text);
}

export function parseRecent(text: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof v !== "object" || v === null || !("profiles" in v) || !Array.isArray(v.profiles)) {
    return [];
  }
  const list: unknown[] = v.profiles;
  return list.filter((n): n is string => typeof n === "string").slice(0, RECENT_MAX);
}

/** `name` first, the rest after it without duplicates, at most RECENT_MAX. */
export function withRecent(list: readonly string[], name: string): string[] {
  return [name, ...list.filter((n) => n !== name)].slice(0, RECENT_MAX);
}

/**
 * Moves `name` to the front. When it already is first (the common case:
 * the same profile again and again, credential_process called in a loop)
 * the file is only read, not written.
 */
export async function recordRecent(
  path: string,
  name: string,
  options: { readonly lockTimeoutMs?: number } = {},
): Promise<boolean> {
  if ((await readRecent(path))[0] === name) return false;
  return withLock(
    path,
    async () => {
      const list = await readRecent(path);
      if (list[0] === name) return false;
      const text = JSON.stringify({ version: 1, profiles: withRecent(list, name) }) + "\n";
      await writeFileAtomic(path, text, { mode: 0o600 });
      return true;
    },
    { timeoutMs: options.lockTimeoutMs ?? 5_000, what: "the recent profiles list" },
  );
}

/**
 * recordRecent for a command: what the picker's order learns from. Never
 * fails the command (the list is only an ordering hint); a failure is said
 * under --debug.
 */
export async function rememberProfile(input: CommandInput, name: string): Promise<void> {
  try {
    await recordRecent(recentFile(input), name);
  } catch (e) {
    input.debug(
      `could not update the recent profiles list: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
