/**
 * The encrypted file backend of the SecretStore: one AES-256-GCM file per
 * item under a key derived from a passphrase with scrypt. README.md beside
 * this file documents the format, the parameters and the threat model.
 *
 * The passphrase is asked for (and the key derived) only when a value has to
 * be decrypted or encrypted, at most once per store instance: list(),
 * remove() and a get() of a missing item never need it.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { AwsmfaError } from "../../errors.ts";
import type { Clock } from "../../platform/clock.ts";
import { isErrno, writeFileAtomic } from "../../platform/fs.ts";
import { withLock } from "../../platform/lock.ts";
import { readRegularFile } from "../../platform/readRegularFile.ts";
import { checkPrivateDir, exposedFileWarning, shellPath } from "../privateDir.ts";
import type { ItemKind, ItemRef, SecretStore } from "../SecretStore.ts";
import { DEFAULT_SCRYPT, SALT_LENGTH, deriveKey, open, seal, type ScryptParams } from "./crypto.ts";
import {
  HEADER_FILE,
  itemAad,
  keyMatches,
  makeHeader,
  parseHeader,
  parseItem,
  serializeHeader,
  serializeItem,
  tampered,
} from "./format.ts";
import type { Cipher, KeyAgent } from "./keyAgent.ts";
import { decodeName, encodeName, isHashedBase } from "./names.ts";

export interface PassphraseRequest {
  /** true when this passphrase will create a new store (ask twice to confirm). */
  readonly creating: boolean;
  /** The store directory as shown to the user, e.g. "~/.awsmfa". */
  readonly where: string;
}

/** Where the passphrase comes from: an environment variable, the terminal, ... */
export type PassphraseSource = (request: PassphraseRequest) => Promise<string>;

export interface FileStoreOptions {
  /** The store directory (created 0700 when missing). */
  readonly dir: string;
  readonly passphrase: PassphraseSource;
  /** For the lock taken while the store is created. */
  readonly clock: Clock;
  /**
   * scrypt parameters for a store this instance creates; DEFAULT_SCRYPT
   * unless given. An existing store is always opened with the parameters
   * written in its store.json.
   */
  readonly scrypt?: ScryptParams;
  /** How dir is shown in messages (e.g. "~/.awsmfa"); dir itself unless given. */
  readonly displayDir?: string;
  /**
   * Start deriving the key of an existing store now, in the background
   * (only sensible when the passphrase source asks no one). An error is
   * kept for the first operation that needs the key.
   */
  readonly unlockEarly?: boolean;
  /**
   * Told (once per instance) when a store file is readable by group or
   * others. Directories others can write to are refused instead.
   */
  readonly warn?: (message: string) => void;
  /**
   * The unlock agent (src/agent/): asked for the store's cipher before any
   * passphrase, and given the key once it was derived.
   */
  readonly agent?: KeyAgent;
}

const KIND_DIRS: Readonly<Record<ItemKind, string>> = {
  keys: "keys",
  session: "sessions",
  "vault-token": "vault-tokens",
};
const KINDS: readonly ItemKind[] = ["keys", "session", "vault-token"];

interface Unlocked {
  /** The store.json text the key belongs to: a different file means a different store. */
  readonly headerText: string;
  readonly cipher: Cipher;
}

function localCipher(key: Buffer): Cipher {
  return {
    open: (sealed, aad) => Promise.resolve(open(key, sealed, aad)),
    seal: (plain, aad) => Promise.resolve(seal(key, plain, aad)),
  };
}

interface Failed {
  readonly headerText: string;
  readonly error: unknown;
}

export function fileStore(options: FileStoreOptions): SecretStore {
  const { dir } = options;
  const where = options.displayDir ?? dir;
  const headerPath = join(dir, HEADER_FILE);
  const show = (path: string) => (path.startsWith(dir) ? where + path.slice(dir.length) : path);

  let unlocked: Unlocked | undefined;
  let failed: Failed | undefined;
  let dirsChecked: Promise<void> | undefined;
  let warnedExposed = false;

  /**
   * Refuses a store directory others can write to, before any operation
   * reads or writes there; checked once per instance (a rejection is kept).
   */
  function safeDirs(): Promise<void> {
    dirsChecked ??= (async () => {
      await checkPrivateDir(dir, where, "the awsmfa file store");
      for (const k of KINDS) {
        const kindDir = join(dir, KIND_DIRS[k]);
        await checkPrivateDir(kindDir, show(kindDir), `the awsmfa file store's ${KIND_DIRS[k]}`);
      }
    })();
    return dirsChecked;
  }

  /** A store file's text, undefined when missing; warns once about one others can read. */
  async function readText(path: string): Promise<string | undefined> {
    const read = await readRegularFile(path);
    if (read.kind === "missing") return undefined;
    if (read.kind === "not-regular") throw tampered(show(path), `it is ${read.what}`);
    if (!warnedExposed) {
      const warning = exposedFileWarning(
        read.mode,
        show(path),
        `chmod -R go-rwx ${shellPath(where)}`,
      );
      if (warning !== undefined) {
        warnedExposed = true;
        options.warn?.(warning);
      }
    }
    return read.bytes.toString("utf8");
  }

  // Key lookups run one at a time, so N parallel get()s ask for the
  // passphrase (and pay for the derivation) once, not N times.
  let queue: Promise<unknown> = Promise.resolve();

  function key(mode: "read" | "write"): Promise<Cipher> {
    const next = queue.then(() => unlock(mode));
    queue = next.catch(() => undefined);
    return next;
  }

  if (options.unlockEarly === true) {
    // Queued like any key lookup, so the first real one reuses its result
    // (or its wrong-passphrase error) instead of deriving again.
    queue = queue
      .then(async () => {
        await safeDirs();
        if ((await readText(headerPath)) !== undefined) await unlock("read");
      })
      .catch(() => undefined);
  }

  async function unlock(mode: "read" | "write"): Promise<Cipher> {
    await safeDirs();
    const text = await readText(headerPath);
    if (text === undefined) {
      if (mode === "read") throw tampered(show(headerPath), "it is missing, but items exist");
      return create();
    }
    return openWith(text, undefined);
  }

  /** Opens the store whose header is `text`, with `given` or an asked-for passphrase. */
  async function openWith(text: string, given: string | undefined): Promise<Cipher> {
    if (unlocked?.headerText === text) return unlocked.cipher;
    if (failed?.headerText === text) throw failed.error;
    const header = parseHeader(text, show(headerPath));
    // The agent first: it saves the KDF and the question.
    const held = given === undefined ? await options.agent?.cipher(text) : undefined;
    if (held !== undefined) {
      unlocked = { headerText: text, cipher: held };
      return held;
    }
    const passphrase = given ?? (await options.passphrase({ creating: false, where }));
    const derived = await deriveKey(passphrase, header.salt, header.scrypt);
    if (!keyMatches(header, derived)) {
      const error = wrongPassphrase(where);
      failed = { headerText: text, error };
      throw error;
    }
    return keep(text, derived);
  }

  async function keep(headerText: string, derived: Buffer): Promise<Cipher> {
    const cipher = localCipher(derived);
    unlocked = { headerText, cipher };
    await options.agent?.remember(headerText, derived);
    return cipher;
  }

  async function create(): Promise<Cipher> {
    // Asked before taking the lock: a human typing must not hold it.
    const passphrase = await options.passphrase({ creating: true, where });
    if (passphrase === "") {
      throw new AwsmfaError(
        "E_STORE_PASSPHRASE_EMPTY",
        `Refusing to create the awsmfa file store at ${where} with an empty passphrase.`,
        { hint: "Choose a passphrase (AWSMFA_FILE_PASSPHRASE, or type one when asked)." },
      );
    }
    const made = await mkdir(dir, { recursive: true, mode: 0o700 });
    // Only a directory we created: never narrow someone's existing directory.
    if (made !== undefined) await chmod(dir, 0o700);
    return withLock(
      headerPath,
      async () => {
        // Another process may have created the store while we waited.
        const text = await readText(headerPath);
        if (text !== undefined) return openWith(text, passphrase);
        await refuseOrphans();
        const scrypt = options.scrypt ?? DEFAULT_SCRYPT;
        const salt = randomBytes(SALT_LENGTH);
        const derived = await deriveKey(passphrase, salt, scrypt);
        const headerText = serializeHeader(makeHeader(scrypt, salt, derived));
        await writeFileAtomic(headerPath, headerText);
        return keep(headerText, derived);
      },
      { clock: options.clock, what: `the awsmfa file store at ${where}` },
    );
  }

  /** A new header would make existing items unreadable: stop instead. */
  async function refuseOrphans(): Promise<void> {
    const items = await listRefs(undefined);
    if (items.length > 0) {
      throw tampered(show(headerPath), `it is missing, but ${items.length} item(s) exist`);
    }
  }

  function itemFile(kind: ItemKind, name: string): { path: string; hashed: boolean } {
    const encoded = encodeName(name);
    return { path: join(dir, KIND_DIRS[kind], `${encoded.base}.json`), hashed: encoded.hashed };
  }

  async function listRefs(kind: ItemKind | undefined): Promise<ItemRef[]> {
    await safeDirs();
    const refs: ItemRef[] = [];
    for (const k of kind === undefined ? KINDS : [kind]) {
      const kindDir = join(dir, KIND_DIRS[k]);
      let entries: string[];
      try {
        entries = await readdir(kindDir);
      } catch (e) {
        if (isErrno(e, "ENOENT")) continue;
        throw e;
      }
      const names: string[] = [];
      for (const entry of entries) {
        // Dot files are writeFileAtomic's temp files; anything else is not ours.
        if (entry.startsWith(".") || !entry.endsWith(".json")) continue;
        const base = entry.slice(0, -".json".length);
        if (isHashedBase(base)) {
          names.push(await hashedName(join(kindDir, entry), base));
          continue;
        }
        const name = decodeName(base);
        if (name !== undefined) names.push(name);
      }
      names.sort();
      for (const name of names) refs.push({ kind: k, name });
    }
    return refs;
  }

  /** The name kept inside a hashed item file; no decryption involved. */
  async function hashedName(path: string, base: string): Promise<string> {
    const text = await readText(path);
    if (text === undefined) throw tampered(show(path), "it vanished while listing");
    const item = parseItem(text, show(path));
    if (item.name === undefined || encodeName(item.name).base !== base) {
      throw tampered(show(path), "its name does not match its file name");
    }
    return item.name;
  }

  return {
    backend: "file",

    async get(kind, name) {
      await safeDirs();
      const { path } = itemFile(kind, name);
      const text = await readText(path);
      if (text === undefined) return undefined;
      const item = parseItem(text, show(path));
      const plain = await (await key("read")).open(item.sealed, itemAad(kind, name));
      if (plain === undefined) {
        throw tampered(
          show(path),
          "it does not authenticate (modified, or moved from another item)",
        );
      }
      return plain.toString("utf8");
    },

    async set(kind, name, value) {
      await safeDirs();
      const { path, hashed } = itemFile(kind, name);
      const cipher = await key("write");
      const sealed = await cipher.seal(Buffer.from(value, "utf8"), itemAad(kind, name));
      await writeFileAtomic(path, serializeItem(hashed ? { sealed, name } : { sealed }));
    },

    async remove(kind, name) {
      await safeDirs();
      try {
        await unlink(itemFile(kind, name).path);
        return true;
      } catch (e) {
        if (isErrno(e, "ENOENT")) return false;
        throw e;
      }
    },

    list: listRefs,

    async unlock() {
      if ((await readText(headerPath)) !== undefined) await key("read");
    },
  };
}

function wrongPassphrase(where: string): AwsmfaError {
  return new AwsmfaError(
    "E_STORE_PASSPHRASE",
    `The passphrase for the awsmfa file store at ${where} is wrong.`,
    {
      hint: "Use the passphrase the store was created with (AWSMFA_FILE_PASSPHRASE, or type it when asked).",
    },
  );
}
