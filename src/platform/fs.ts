/**
 * File writes as every awsmfa file must be written: atomic (temp file in the
 * same directory, fsync, rename, fsync of the directory), mode 0600, parent
 * directories 0700 when we create them.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, unlink, stat } from "node:fs/promises";
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
  try {
    await fh.writeFile(data);
    // The umask may have narrowed the mode given to open(); set it exactly.
    await fh.chmod(mode);
    await fh.sync();
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
