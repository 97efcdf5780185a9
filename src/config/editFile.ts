/**
 * Edits ~/.aws/config or ~/.aws/credentials safely: under the file's
 * cross-process lock, read, parse (a malformed file is refused, never
 * rewritten), apply the edit to the lossless document, and write the result
 * atomically (temp file, fsync, rename) only when the text changed.
 *
 * File mode: a new file is 0600. An existing file keeps its mode with group
 * and other bits removed (0644 -> 0600; a stricter 0400 stays 0400): these
 * files hold keys or point at them, and the credentials file must end 0600.
 * A symlinked file (dotfiles) is written through the link, not replaced;
 * a dangling link gets its target created.
 */
import { readlink, realpath } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { AwsmfaError } from "../errors.ts";
import { isErrno, writeFileAtomic } from "../platform/fs.ts";
import { readRegularFile } from "../platform/readRegularFile.ts";
import { withLock, type LockOptions } from "../platform/lock.ts";
import { parseIni, type IniDocument } from "./IniDocument.ts";

export interface EditIniOptions {
  /** How the file is named in messages (`~/.aws/credentials`); default the path. */
  readonly label?: string;
  /** Force this mode instead of the rule above. */
  readonly mode?: number;
  readonly lock?: LockOptions;
}

export interface EditIniResult<T> {
  /** false when the edit left the text as it was (nothing written). */
  readonly changed: boolean;
  /** What the edit function returned. */
  readonly result: T;
}

export async function editIniFile<T = void>(
  path: string,
  edit: (doc: IniDocument) => T | Promise<T>,
  options: EditIniOptions = {},
): Promise<EditIniResult<T>> {
  const label = options.label ?? path;
  const target = await resolveLink(path, label);
  return withLock(
    target,
    async () => {
      const original = await readOriginal(target, label);
      const doc = parseIni(original?.text ?? "", label);
      const result = await edit(doc);
      const text = doc.toString();
      if (original !== undefined && text === original.text) return { changed: false, result };
      const mode = options.mode ?? (original === undefined ? 0o600 : original.mode & 0o600);
      await writeFileAtomic(target, text, { mode });
      return { changed: true, result };
    },
    { what: label, ...options.lock },
  );
}

/**
 * The file a symlink points at (so the link survives the rename), or path
 * itself. realpath() fails on a dangling link (`credentials -> dotfiles/aws/credentials`
 * before the first write), so the link is followed by hand: the write then
 * creates the target, as the README promises, instead of replacing the link
 * with a regular file.
 */
async function resolveLink(path: string, label: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (e) {
    if (isErrno(e, "ELOOP")) throw linkLoop(label, e);
    if (!isErrno(e, "ENOENT")) throw e;
  }
  let current = path;
  for (let hops = 0; ; hops++) {
    let next: string;
    try {
      next = await readlink(current);
    } catch (e) {
      // ENOENT: nothing there; EINVAL: there, and not a link.
      if (isErrno(e, "ENOENT") || isErrno(e, "EINVAL")) break;
      throw e;
    }
    // The kernel's limit on links followed in one lookup is 40.
    if (hops >= 40) throw linkLoop(label, undefined);
    current = resolve(dirname(current), next);
  }
  if (current === path) return path;
  const dir = dirname(current);
  try {
    await realpath(dir);
  } catch (e) {
    if (!isErrno(e, "ENOENT") && !isErrno(e, "ENOTDIR")) throw e;
    throw new AwsmfaError(
      "E_CONFIG_LINK",
      `${label} is a symbolic link to ${current}, which does not exist, and neither does its directory ${dir}.`,
      {
        hint: `Create ${dir} (awsmfa then creates the file in it), or remove the link ${path}.`,
        cause: e,
      },
    );
  }
  return current;
}

function linkLoop(label: string, cause: unknown): AwsmfaError {
  return new AwsmfaError("E_CONFIG_LINK", `${label} is a symbolic link that loops.`, {
    hint: `Check where ${label} points (ls -l), and make it point at a file.`,
    cause,
  });
}

async function readOriginal(
  path: string,
  label: string,
): Promise<{ text: string; mode: number } | undefined> {
  let read;
  try {
    read = await readRegularFile(path);
  } catch (e) {
    throw new AwsmfaError("E_CONFIG_READ", `Cannot read ${label}.`, {
      hint: `Check that ${label} is a file you can read and write.`,
      cause: e,
    });
  }
  if (read.kind === "missing") return undefined;
  if (read.kind === "not-regular") {
    // A FIFO would block the read (and the lock) forever.
    throw new AwsmfaError(
      "E_CONFIG_READ",
      `Cannot read ${label}: it is ${read.what}, not a regular file.`,
      { hint: `Replace ${label} with a regular file.` },
    );
  }
  const { bytes } = read;
  const text = bytes.toString("utf8");
  // Text that does not round-trip to the same bytes (invalid UTF-8) would be
  // changed by a rewrite; refuse rather than damage it.
  if (!Buffer.from(text, "utf8").equals(bytes)) {
    throw new AwsmfaError(
      "E_CONFIG_ENCODING",
      `${label} is not valid UTF-8; awsmfa will not rewrite it.`,
      {
        hint: `Convert ${label} to UTF-8 (e.g. iconv -f latin1 -t utf-8), then try again.`,
      },
    );
  }
  return { text, mode: read.mode };
}

/**
 * Whether editIniFile would accept the file as it is now (readable, a
 * regular file, UTF-8, parses), checked without the lock and without
 * writing: for a command that must not change anything else first when the
 * edit is bound to fail (`add --add-config` stores keys). Throws what
 * editIniFile would throw.
 */
export async function checkIniFileEditable(path: string, label: string = path): Promise<void> {
  const original = await readOriginal(await resolveLink(path, label), label);
  parseIni(original?.text ?? "", label);
}
