/**
 * Where the agent's socket lives, and whether a directory or socket found
 * there may be trusted. As ssh-agent and gpg-agent: a directory of ours,
 * 0700, under $XDG_RUNTIME_DIR when the login session has one (it goes away
 * at logout), else under the system's temp directory, named after our uid.
 * AWSMFA_AGENT_SOCK names another socket (nested processes get it, as
 * SSH_AUTH_SOCK).
 */
import { lstat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AwsmfaError } from "../errors.ts";
import type { Env } from "../platform/env.ts";
import { isErrno } from "../platform/fs.ts";

export const AGENT_SOCK_VAR = "AWSMFA_AGENT_SOCK";

export interface AgentPlace {
  readonly env: Env;
  readonly uid: number;
  readonly tmpdir: string;
}

export function agentSocketPath(place: AgentPlace): string {
  const named = place.env[AGENT_SOCK_VAR]?.trim();
  if (named !== undefined && named !== "") return named;
  const runtime = place.env.XDG_RUNTIME_DIR?.trim();
  const dir =
    runtime !== undefined && runtime !== ""
      ? join(runtime, "awsmfa")
      : join(place.tmpdir, `awsmfa-${String(place.uid)}`);
  return join(dir, "agent.sock");
}

/**
 * Throws E_AGENT_UNSAFE when the socket's directory, or the socket, belongs
 * to another user or can be written by others; resolves false when there is
 * no socket, true when it may be used.
 */
export async function checkSocket(path: string, uid: number): Promise<boolean> {
  const dir = dirname(path);
  let d;
  try {
    d = await lstat(dir);
  } catch (e) {
    if (isErrno(e, "ENOENT")) return false;
    throw e;
  }
  if (!d.isDirectory() || d.uid !== uid || (d.mode & 0o022) !== 0) {
    throw unsafe(
      `the directory ${dir} ${!d.isDirectory() ? "is not a directory" : d.uid !== uid ? `belongs to uid ${String(d.uid)}, not you` : "can be written by other users"}`,
      dir,
    );
  }
  let s;
  try {
    s = await lstat(path);
  } catch (e) {
    if (isErrno(e, "ENOENT")) return false;
    throw e;
  }
  if (!s.isSocket() || s.uid !== uid) {
    throw unsafe(
      `${path} ${!s.isSocket() ? "is not a socket" : `belongs to uid ${String(s.uid)}, not you`}`,
      dir,
    );
  }
  return true;
}

function unsafe(what: string, dir: string): AwsmfaError {
  return new AwsmfaError("E_AGENT_UNSAFE", `Not using the awsmfa agent: ${what}.`, {
    hint: `Remove ${dir} (awsmfa makes it again, 0700), or point ${AGENT_SOCK_VAR} at a socket of your own.`,
  });
}
