/**
 * File writes as every awsmfa file must be written: atomic (temp file in the
 * same directory, fsync, rename, fsync of the directory), mode 0600, parent
 * directories 0700 when we create them. A temp file left by a writer that
 * was killed (a full copy of the file, 0600) is removed by a later write of
 * the same file once it is clearly abandoned.
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readdir, rename, unlink, stat } from "node:fs/promises";
import { dirname, basename, join } from "node:path";

export interface AtomicWriteOptions {
  /** File mode; 0o600 unless the caller keeps an existing file's stricter mode. */
  readonly mode?: number;
}

/** Creates `dir` (and parents) with mode 0700 where missing. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  await ensurePrivateDir(dir);
  const mode = options.mode ?? 0o600;
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", mode);
  let written: { mtimeMs: number; uid: number };
  try {
    await fh.writeFile(data);
    // The umask may have narrowed the mode given to open(); set it exactly.
    await fh.chmod(mode);
    await fh.sync();
    written = await fh.stat();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDir(dir);
  await removeAbandonedTemps(dir, basename(path), written);
}

/**
 * How old another writer's temp file must be before it counts as abandoned.
 * A write takes milliseconds; ten minutes is also how long a lock may be
 * held before it is stale (lock.ts), so a live writer is never robbed.
 */
const ABANDONED_TEMP_MS = 10 * 60_000;

/**
 * Removes temp files of `base` that writeFileAtomic made and a killed writer
 * left behind: exactly our name pattern (`.<base>.<12 hex>.tmp`), in the
 * target's own directory, a regular file (never a link or directory), owned
 * by the same user, and older than ABANDONED_TEMP_MS by the file system's
 * own clock (compared with the temp file just written, so a skewed clock on
 * a shared ~/.aws cannot make a live temp file look old). Best effort: the
 * write itself has succeeded; what cannot be removed now is tried again by
 * the next write.
 */
async function removeAbandonedTemps(
  dir: string,
  base: string,
  ours: { readonly mtimeMs: number; readonly uid: number },
): Promise<void> {
  const pattern = new RegExp(`^\\.${escapeRegExp(base)}\\.[0-9a-f]{12}\\.tmp$`);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return; // best effort, see above
  }
  for (const entry of entries) {
    if (!pattern.test(entry)) continue;
    const p = join(dir, entry);
    try {
      const st = await lstat(p);
      if (!st.isFile() || st.uid !== ours.uid) continue;
      if (ours.mtimeMs - st.mtimeMs < ABANDONED_TEMP_MS) continue;
      await unlink(p);
    } catch {
      // best effort, see above (a concurrent writer may have removed it first)
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename durable. Not every platform lets a directory be opened
  // for fsync (Windows does not); the rename itself is still atomic there.
  try {
    const dh = await open(dir, "r");
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // best effort, see above
  }
}

/** The mode bits of an existing file, or undefined when it does not exist. */
export async function fileMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch (e) {
    if (isErrno(e, "ENOENT")) return undefined;
    throw e;
  }
}

export function isErrno(e: unknown, code: string): boolean {
  return e instanceof Error && "code" in e && e.code === code;
}
