/**
 * Reads a file that must be a regular file. It is opened with O_NONBLOCK, so
 * a FIFO cannot block the open itself (a plain open of a FIFO waits for a
 * writer forever), then checked with fstat on the same descriptor before
 * anything is read: no stat-then-open race, and a FIFO, socket, device or
 * directory is reported instead of hanging or being read as a stream.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import type { Stats } from "node:fs";
import { isErrno } from "./fs.ts";

export type RegularFileRead =
  | { readonly kind: "missing" }
  | { readonly kind: "file"; readonly bytes: Buffer; readonly mode: number }
  /** `what` names the kind of file in words ("a FIFO (named pipe)"). */
  | { readonly kind: "not-regular"; readonly what: string };

// O_NONBLOCK is absent on Windows (typed as always there), where FIFOs are no concern.
const NONBLOCK = "O_NONBLOCK" in constants ? constants.O_NONBLOCK : 0;

/** Errors other than a missing file (EACCES, ELOOP, ...) are thrown as they come. */
export async function readRegularFile(path: string): Promise<RegularFileRead> {
  let fh;
  try {
    fh = await open(path, constants.O_RDONLY | NONBLOCK);
  } catch (e) {
    if (isErrno(e, "ENOENT")) return { kind: "missing" };
    throw e;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { kind: "not-regular", what: describeNonRegular(st) };
    return { kind: "file", bytes: await fh.readFile(), mode: st.mode & 0o777 };
  } finally {
    await fh.close();
  }
}

function describeNonRegular(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a regular file";
}
