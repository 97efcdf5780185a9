/**
 * SecretStore over `pass` (the standard Unix password manager: one
 * GPG-encrypted file per entry). Entries: `<prefix>/<keys|session>/<name>`
 * under the password store, prefix "awsmfa" by default.
 *
 * Names are encoded into path segments losslessly and case-safely (two
 * names that differ only in case never share a file on a case-insensitive
 * disk): [a-z0-9_-] and inner dots stay, an upper-case letter becomes "+"
 * and its lower-case form, everything else "%hh" per UTF-8 byte (lower-case
 * hex). Encoded names longer than 200 characters are split into nested
 * directories of 200, to stay under the 255-byte file name limit.
 *
 * Values go to `pass insert -m` on stdin and come back from `pass show`
 * byte for byte; they never appear in argv. get/list/remove look at the
 * files first, so a missing item never runs gpg.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { AwsmfaError } from "../../errors.ts";
import { isErrno } from "../../platform/fs.ts";
import { withLock } from "../../platform/lock.ts";
import { runTool, type ToolRun } from "../../platform/runTool.ts";
import type { ItemKind, ItemRef, SecretStore } from "../SecretStore.ts";
import type { Env } from "../../platform/env.ts";

export interface PassStoreOptions {
  /** Environment for pass/gpg: PASSWORD_STORE_DIR, GNUPGHOME, HOME, PATH, GPG_TTY, ... */
  readonly env: Env;
  /** Entry prefix inside the password store. Default "awsmfa". */
  readonly prefix?: string;
  /** The pass executable. Default "pass". */
  readonly passCmd?: string;
  /** Bound on one pass call (gpg may wait for a pinentry). Default 60 s. */
  readonly timeoutMs?: number;
}

const KINDS: readonly ItemKind[] = ["keys", "session", "vault-token"];
const SEGMENT = 200;

export function encodePassName(name: string): string {
  let out = "";
  for (const ch of name) {
    if (/^[a-z0-9_-]$/.test(ch) || (ch === "." && out !== "")) out += ch;
    else if (/^[A-Z]$/.test(ch)) out += `+${ch.toLowerCase()}`;
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).padStart(2, "0")}`;
  }
  // "." alone or a trailing dot would be odd file names; a leading dot is
  // already escaped above. Split long names into nested directories.
  const parts: string[] = [];
  for (let i = 0; i < out.length; i += SEGMENT) parts.push(out.slice(i, i + SEGMENT));
  return parts.length === 0 ? "%" : parts.join("/");
}

/** The inverse of encodePassName; undefined for a path we did not write. */
export function decodePassName(path: string): string | undefined {
  const s = path.split("/").join("");
  if (s === "%") return "";
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === "+") {
      const next = s.charAt(i + 1);
      if (!/^[a-z]$/.test(next)) return undefined;
      bytes.push(next.toUpperCase().charCodeAt(0));
      i += 1;
    } else if (/^[a-z0-9_.-]$/.test(c)) bytes.push(c.charCodeAt(0));
    else return undefined;
  }
  const name = Buffer.from(bytes).toString("utf8");
  return encodePassName(name) === path ? name : undefined;
}

export function passStore(options: PassStoreOptions): SecretStore {
  const prefix = options.prefix ?? "awsmfa";
  const passCmd = options.passCmd ?? "pass";
  const timeoutMs = options.timeoutMs ?? 60_000;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
  const storeDir = env.PASSWORD_STORE_DIR ?? join(env.HOME ?? "", ".password-store");
  const entry = (kind: ItemKind, name: string) => `${prefix}/${kind}/${encodePassName(name)}`;
  const file = (path: string) => join(storeDir, `${path}.gpg`);
  // pass commits to git when the store is a repository; parallel commits
  // would fight over git's index.lock, so our writes go one at a time.
  const lockPath = join(storeDir, `.${prefix.replaceAll("/", "_")}-awsmfa`);

  const pass = (args: readonly string[], input?: string): Promise<ToolRun> =>
    runTool(passCmd, args, {
      env,
      timeoutMs,
      ...(input === undefined ? {} : { input }),
      timedOut: () =>
        new AwsmfaError(
          "E_PASS_TIMEOUT",
          `pass ${args[0] ?? ""} did not finish in ${String(timeoutMs / 1000)} s.`,
          {
            hint: "Check that gpg-agent can ask for your GPG passphrase (GPG_TTY, pinentry), or use --backend file.",
          },
        ),
      missing: () =>
        new AwsmfaError("E_PASS_MISSING", `The pass command (${passCmd}) is not installed.`, {
          hint: "Install pass (https://www.passwordstore.org/), or use another --backend.",
        }),
    });

  const failed = (what: string, path: string, r: ToolRun): AwsmfaError => {
    const detail = r.stderr.trim().split("\n").slice(-2).join(" ");
    const notInit = /pass init/.test(r.stderr);
    return new AwsmfaError(
      notInit ? "E_PASS_NOT_INITIALIZED" : "E_PASS",
      `pass could not ${what} ${path} in ${storeDir}${detail === "" ? "" : `: ${detail}`}`,
      {
        hint: notInit
          ? "Create the password store first: pass init <your-gpg-key-id>."
          : "Run the same pass command by hand to see what gpg needs, or use another --backend.",
      },
    );
  };

  const exists = async (path: string): Promise<boolean> => {
    try {
      return (await stat(file(path))).isFile();
    } catch (e) {
      if (isErrno(e, "ENOENT") || isErrno(e, "ENOTDIR")) return false;
      throw e;
    }
  };

  const walk = async (dir: string, rel: string, out: string[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (isErrno(e, "ENOENT") || isErrno(e, "ENOTDIR")) return;
      throw e;
    }
    for (const d of entries) {
      const r = rel === "" ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) await walk(join(dir, d.name), r, out);
      else if (d.isFile() && d.name.endsWith(".gpg")) out.push(r.slice(0, -4));
    }
  };

  return {
    backend: "pass",
    async get(kind, name) {
      const path = entry(kind, name);
      if (!(await exists(path))) return undefined;
      const r = await pass(["show", path]);
      if (r.code !== 0) throw failed("read", path, r);
      return r.stdout;
    },
    async set(kind, name, value) {
      const path = entry(kind, name);
      try {
        await stat(join(storeDir, ".gpg-id"));
      } catch (e) {
        if (!isErrno(e, "ENOENT") && !isErrno(e, "ENOTDIR")) throw e;
        throw new AwsmfaError(
          "E_PASS_NOT_INITIALIZED",
          `There is no password store in ${storeDir}.`,
          {
            hint: "Create it first: pass init <your-gpg-key-id> (PASSWORD_STORE_DIR picks another place).",
          },
        );
      }
      await withLock(
        lockPath,
        async () => {
          const r = await pass(["insert", "--multiline", "--force", path], value);
          if (r.code !== 0) throw failed("store", path, r);
        },
        { what: "the pass store" },
      );
    },
    async remove(kind, name) {
      const path = entry(kind, name);
      return withLock(
        lockPath,
        async () => {
          if (!(await exists(path))) return false;
          const r = await pass(["rm", "--force", path]);
          if (r.code !== 0) throw failed("remove", path, r);
          return true;
        },
        { what: "the pass store" },
      );
    },
    async list(kind) {
      const refs: ItemRef[] = [];
      for (const k of KINDS) {
        if (kind !== undefined && k !== kind) continue;
        const paths: string[] = [];
        await walk(join(storeDir, prefix, k), "", paths);
        for (const p of paths) {
          const name = decodePassName(p);
          if (name !== undefined) refs.push({ kind: k, name });
        }
      }
      return refs;
    },
  };
}
