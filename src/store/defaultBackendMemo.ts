/**
 * The default backend's answer, remembered: without --backend, openStore
 * tries the platform's DEFAULT_ORDER, and on Linux asking the Secret Service
 * costs a helper process (up to 3 s) on every call. The answer is kept in a
 * small file beside the file store (`default-backend.json` in ~/.awsmfa),
 * keyed on what makes it change: the platform, the order tried, the session
 * bus address and XDG_RUNTIME_DIR, and the bus socket's inode and ctime (a
 * restarted bus daemon makes a new socket). It holds a backend name, never
 * a secret.
 *
 * openStore imports this module statically and asks it before loading any
 * keyring backend, so it stays small: it lands in the bin's fast path.
 */
import { constants } from "node:fs";
import { open, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { nonEmpty, type Env } from "../platform/env.ts";
import { writeFileAtomic } from "../platform/fs.ts";
import { displayPath, fileStoreDir } from "./backendContext.ts";
import { checkPrivateDir } from "./privateDir.ts";
import type { BackendName } from "./SecretStore.ts";

export const MEMO_FILE = "default-backend.json";

/** What the memo is valid for; any change asks the backends again. */
export interface MemoKey {
  readonly platform: string;
  readonly order: readonly string[];
  readonly bus: string;
  readonly runtimeDir: string;
  /** `ino:ctimeMs` of the bus socket when the bus is a socket path; "" otherwise. */
  readonly socket: string;
}

interface MemoWhere {
  readonly env: Env;
  readonly fileDir?: string | undefined;
  readonly homedir: string;
}

export function memoPath(where: MemoWhere): string {
  return join(fileStoreDir(where), MEMO_FILE);
}

/**
 * Why a keyring is not worth asking, without loading its module; undefined
 * when it may answer. The Secret Service lives on the session bus: with no
 * bus address and no runtime directory (headless box, container, cron)
 * there is nothing to ask.
 */
export function cheapNo(name: BackendName, env: Env): string | undefined {
  if (name !== "secret-service") return undefined;
  if (
    nonEmpty(env.DBUS_SESSION_BUS_ADDRESS) === undefined &&
    nonEmpty(env.XDG_RUNTIME_DIR) === undefined
  ) {
    return "no D-Bus session bus (neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set)";
  }
  return undefined;
}

/** The bus socket path of `unix:path=...` (first address), else $XDG_RUNTIME_DIR/bus (the default). */
function busSocket(env: Env): string | undefined {
  const address = nonEmpty(env.DBUS_SESSION_BUS_ADDRESS);
  if (address === undefined) {
    const dir = nonEmpty(env.XDG_RUNTIME_DIR);
    return dir === undefined ? undefined : join(dir, "bus");
  }
  const first = address.split(";")[0] ?? "";
  if (!first.startsWith("unix:")) return undefined;
  for (const part of first.slice(5).split(",")) {
    if (part.startsWith("path=")) return decodeDbusValue(part.slice(5));
  }
  return undefined; // abstract sockets, tmpdir=...: the address string is all we key on
}

/** D-Bus addresses %-escape bytes in values. */
function decodeDbusValue(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export async function memoKey(
  env: Env,
  platform: string,
  order: readonly string[],
): Promise<MemoKey> {
  let socket = "";
  const path = busSocket(env);
  if (path !== undefined) {
    try {
      const st = await stat(path, { bigint: true });
      socket = `${String(st.ino)}:${String(st.ctimeNs)}`;
    } catch {
      socket = "missing";
    }
  }
  return {
    platform,
    order: [...order],
    bus: env.DBUS_SESSION_BUS_ADDRESS ?? "",
    runtimeDir: env.XDG_RUNTIME_DIR ?? "",
    socket,
  };
}

export type MemoRead =
  | { readonly kind: "hit"; readonly backend: BackendName }
  /** No memo, or one that does not count (a new one is written); `why` is for --debug. */
  | { readonly kind: "miss"; readonly why: string };

const NOFOLLOW = "O_NOFOLLOW" in constants ? constants.O_NOFOLLOW : 0;
const NONBLOCK = "O_NONBLOCK" in constants ? constants.O_NONBLOCK : 0;

/**
 * The remembered answer for `key`. A memo that is not ours (another owner),
 * that others may write, that is not a regular file or that does not parse
 * is a miss, never trusted.
 */
export async function readMemo(
  path: string,
  key: MemoKey,
  uid: number | undefined,
  names: readonly BackendName[],
): Promise<MemoRead> {
  let text: string;
  try {
    const fh = await open(path, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
    try {
      const st = await fh.stat();
      if (!st.isFile()) return { kind: "miss", why: "it is not a regular file" };
      if (uid !== undefined && st.uid !== uid) {
        return { kind: "miss", why: `it belongs to uid ${String(st.uid)}` };
      }
      if ((st.mode & 0o022) !== 0) {
        return { kind: "miss", why: "others may write it" };
      }
      text = await fh.readFile("utf8");
    } finally {
      await fh.close();
    }
  } catch (e) {
    const code = e instanceof Error && "code" in e ? String(e.code) : "";
    if (code === "ENOENT") return { kind: "miss", why: "none yet" };
    return { kind: "miss", why: `it cannot be read (${code || String(e)})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: "miss", why: "it is garbled" };
  }
  if (typeof parsed !== "object" || parsed === null || !("key" in parsed)) {
    return { kind: "miss", why: "it is garbled" };
  }
  const backend = "backend" in parsed ? parsed.backend : undefined;
  const chosen = names.find((n) => n === backend);
  if (chosen === undefined) return { kind: "miss", why: "it is garbled" };
  if (JSON.stringify(parsed.key) !== JSON.stringify(key)) {
    return { kind: "miss", why: "the session bus or the backends have changed" };
  }
  return { kind: "hit", backend: chosen };
}

/**
 * Remembers `backend` for `key`: atomic, 0600, by rename, so a foreign or
 * garbled memo is replaced, not written through. Not in a store directory
 * others may write to (checkPrivateDir refuses it).
 */
export async function writeMemo(
  where: MemoWhere,
  key: MemoKey,
  backend: BackendName,
): Promise<void> {
  const dir = fileStoreDir(where);
  await checkPrivateDir(dir, displayPath(dir, where.homedir), "the awsmfa");
  await writeFileAtomic(memoPath(where), `${JSON.stringify({ key, backend })}\n`, { mode: 0o600 });
}

/** Forgets the answer (the remembered keyring stopped answering); a missing memo is fine. */
export async function forgetMemo(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
