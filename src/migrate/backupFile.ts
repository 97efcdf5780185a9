/**
 * A backup copy of a shared AWS file before migrate edits it: beside the
 * path the user knows (not beside a symlink's target, which may be a dotfiles
 * repository), named `<file>.awsmfa-backup-<UTC timestamp>`, mode 0600,
 * created exclusively (an existing backup is never overwritten) and synced
 * to disk before any edit starts. It holds the keys in plain text, so it is
 * the user's to delete once they have checked that everything works.
 */
import { open, readFile, unlink } from "node:fs/promises";
import { AwsmfaError } from "../errors.ts";
import { isErrno } from "../platform/fs.ts";

/** 2025-01-02T03:04:05.678Z -> 20250102T030405Z */
export function backupStamp(nowMs: number): string {
  return new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

/**
 * Copies `path` to a new backup file and returns its path; undefined when
 * `path` does not exist (nothing to back up). `label` names the file in messages.
 */
export async function backupFile(
  path: string,
  label: string,
  nowMs: number,
): Promise<{ path: string; bytes: Buffer } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if (isErrno(e, "ENOENT")) return undefined;
    throw new AwsmfaError("E_MIGRATE_BACKUP", `Cannot read ${label} to back it up.`, {
      hint: `Check that ${label} is a file you can read; nothing was changed.`,
      cause: e,
    });
  }
  const base = `${path}.awsmfa-backup-${backupStamp(nowMs)}`;
  for (let n = 0; n < 100; n++) {
    const target = n === 0 ? base : `${base}-${String(n)}`;
    let fh;
    try {
      fh = await open(target, "wx", 0o600);
    } catch (e) {
      if (isErrno(e, "EEXIST")) continue;
      throw backupError(label, target, e);
    }
    try {
      await fh.writeFile(bytes);
      // The umask may have narrowed the mode; a backup of keys is 0600 exactly.
      await fh.chmod(0o600);
      await fh.sync();
    } catch (e) {
      await fh.close();
      await unlink(target).catch(() => undefined);
      throw backupError(label, target, e);
    }
    await fh.close();
    return { path: target, bytes };
  }
  throw backupError(label, base, new Error("too many backups with the same timestamp"));
}

function backupError(label: string, target: string, cause: unknown): AwsmfaError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new AwsmfaError(
    "E_MIGRATE_BACKUP",
    `Cannot write the backup of ${label} to ${target}: ${why}.`,
    {
      hint: "Free some space or fix the directory's permissions; nothing was changed.",
      cause,
    },
  );
}
