/**
 * Where awsmfa's cross-process locks live: `locks/` in the file store's
 * directory, whatever the backend (a directory of ours, not a shared temp
 * directory where another user could hold a lock forever). Taking a lock
 * creates it 0700 when missing; one that exists, or a parent store
 * directory, that others can write to is refused here, before any lock is
 * taken in it (whoever can write there can hold, break or redirect locks).
 */
import { join } from "node:path";
import { displayPath, fileStoreDir } from "./backendContext.ts";
import type { Env } from "../platform/env.ts";
import { checkPrivateDir } from "./privateDir.ts";

export async function checkedLockDir(ctx: {
  readonly env: Env;
  readonly fileDir?: string | undefined;
  readonly homedir: string;
}): Promise<string> {
  const storeDir = fileStoreDir(ctx);
  const dir = join(storeDir, "locks");
  await checkPrivateDir(storeDir, displayPath(storeDir, ctx.homedir), "the awsmfa");
  await checkPrivateDir(dir, displayPath(dir, ctx.homedir), "the awsmfa lock");
  return dir;
}
