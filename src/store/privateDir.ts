/**
 * Permission checks for what awsmfa keeps on disk, in the spirit of ssh's
 * StrictModes: a directory that other users can write to (the file store,
 * its item directories, the lock directory) is refused, because whoever
 * can write there can replace, delete or squat on what we keep there.
 * Items are encrypted and authenticated, so an item others can read is a
 * warning (it still exposes the ciphertext to offline guessing of the
 * passphrase), not a refusal.
 */
import { stat } from "node:fs/promises";
import { AwsmfaError } from "../errors.ts";
import { isErrno } from "../platform/fs.ts";

// Windows has ACLs, not these mode bits: Node reports 0o666/0o777 there for
// everything, which would refuse every directory and warn on every file.
const MODE_BITS_MEAN_ACCESS = process.platform !== "win32";

/**
 * Refuses `dir` when group or others may write to it. A missing directory
 * passes: awsmfa creates its directories 0700. `shown` names it in
 * messages (`~/.awsmfa`); `what` says what it is ("the awsmfa file store").
 */
export async function checkPrivateDir(dir: string, shown: string, what: string): Promise<void> {
  if (!MODE_BITS_MEAN_ACCESS) return;
  let mode: number;
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) return; // not ours to judge here: using it fails with its own error
    mode = st.mode & 0o7777;
  } catch (e) {
    if (isErrno(e, "ENOENT") || isErrno(e, "ENOTDIR")) return;
    throw e;
  }
  if ((mode & 0o022) === 0) return;
  throw new AwsmfaError(
    "E_UNSAFE_PERMISSIONS",
    `${capitalise(what)} directory ${shown} is writable by ${whoMay(mode, 0o020, 0o002)} (mode ${octal(mode)}): they could replace or remove what awsmfa keeps there. awsmfa will not use it.`,
    { hint: `Run: chmod 700 ${shellPath(shown)}` },
  );
}

/** A warning when a file's mode lets group or others read (or write) it; undefined when it does not. */
export function exposedFileWarning(mode: number, shown: string, fix: string): string | undefined {
  if (!MODE_BITS_MEAN_ACCESS || (mode & 0o066) === 0) return undefined;
  const access = (mode & 0o022) === 0 ? "readable" : "readable or writable";
  return `${shown} is ${access} by ${whoMay(mode, 0o060, 0o006)} (mode ${octal(mode & 0o777)}); its secrets are encrypted, but others should not get even that. Run: ${fix}`;
}

function whoMay(mode: number, groupBits: number, otherBits: number): string {
  const group = (mode & groupBits) !== 0;
  const others = (mode & otherBits) !== 0;
  return group && others ? "group and others" : group ? "its group" : "other users";
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A path as typed in a shell: `~/` stays unquoted so the shell expands it. */
export function shellPath(path: string): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);
  if (path === "~") return path;
  if (path.startsWith("~/")) return `~/${quote(path.slice(2))}`;
  return quote(path);
}
