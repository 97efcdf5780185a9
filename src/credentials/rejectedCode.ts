/**
 * A rejected MFA code, recorded beside a session's lock by the process that
 * sent it, so that the callers which waited on that lock meanwhile fail with
 * the same message instead of each asking for a code of its own: 16 parallel
 * credential_process callers and one wrong code make one prompt and one STS
 * call, not 16.
 *
 * Only runs that started before the rejection heed it (they were waiting
 * when it happened); any later run asks for a new code. A fetch that
 * succeeds under the lock removes the record. It holds no secret: the
 * message names the device and profile, never the code.
 */
import { readFile, unlink } from "node:fs/promises";
import { AwsmfaError, isErrorCode } from "../errors.ts";
import { StsError } from "../aws/StsError.ts";
import { isErrno, writeFileAtomic } from "../platform/fs.ts";

/** Where the record for a lock (the path given to withLock) lives. */
export function rejectionPath(lockPath: string): string {
  return `${lockPath}.rejected`;
}

/** Whether an engine error is STS refusing the MFA code (wrong or already used). */
export function isRejectedCode(e: unknown): e is AwsmfaError {
  return e instanceof AwsmfaError && e.cause instanceof StsError && e.cause.kind === "mfa-rejected";
}

/** Records the rejection (call it while holding the lock). */
export async function recordRejection(path: string, e: AwsmfaError, at: number): Promise<void> {
  await writeFileAtomic(
    path,
    JSON.stringify({
      at,
      pid: process.pid,
      code: e.code,
      message: e.message,
      ...(e.hint === undefined ? {} : { hint: e.hint }),
    }),
  );
}

/**
 * The rejection recorded after `since` (a run's start), as the error the
 * run should fail with; undefined when there is none, or it is older.
 */
export async function rejectionSince(
  path: string,
  since: number,
): Promise<(AwsmfaError & { readonly byPid: number }) | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if (isErrno(e, "ENOENT")) return undefined;
    throw e;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined; // not a record we can use: ask for a code as usual
  }
  if (
    typeof v !== "object" ||
    v === null ||
    !("at" in v && typeof v.at === "number") ||
    !("pid" in v && typeof v.pid === "number") ||
    !("code" in v && typeof v.code === "string" && isErrorCode(v.code)) ||
    !("message" in v && typeof v.message === "string")
  ) {
    return undefined;
  }
  if (!(v.at > since)) return undefined;
  const hint = "hint" in v && typeof v.hint === "string" ? v.hint : undefined;
  return Object.assign(new AwsmfaError(v.code, v.message, hint === undefined ? {} : { hint }), {
    byPid: v.pid,
  });
}

/** Forgets the rejection (a fetch under the lock succeeded). */
export async function clearRejection(path: string): Promise<void> {
  await unlink(path).catch((e: unknown) => {
    if (!isErrno(e, "ENOENT")) throw e;
  });
}
