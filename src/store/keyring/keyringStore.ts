/**
 * SecretStore over the OS keyrings, through @napi-rs/keyring: macOS
 * Keychain, Windows Credential Manager, the Secret Service (GNOME Keyring,
 * KWallet) and the Linux kernel keyring (keyutils).
 *
 * Items: service "awsmfa" (configurable), account `<kind>:<name>` (the
 * first colon separates; names may contain colons), value = the string as
 * given. Other programs see them too: `secret-tool search service awsmfa`.
 *
 * list(): the Secret Service, Keychain and Credential Manager can search by
 * service. The kernel keyring cannot, so there we keep an index item
 * (account "index", a JSON list of accounts; it has no colon, so it never
 * clashes with an item), updated under a lock file so parallel writers do
 * not lose entries.
 *
 * Secret Service, Keychain and Credential Manager calls run in a child
 * process with a timeout (keyringProcess.ts, loaded only for them): a D-Bus
 * call can block. The kernel keyring never blocks, so keyutils runs in this
 * process (keyringInProcess.ts).
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withLock } from "../../platform/lock.ts";
import type { BackendName, ItemKind, ItemRef, SecretStore } from "../SecretStore.ts";
import { keyringNotReadBackError } from "./keyringErrors.ts";
import {
  inProcessKeyring,
  keyutilsSessionDiesWithUs,
  type KeyringRunner,
} from "./keyringInProcess.ts";
import type { KeyringProcessOptions } from "./keyringProcess.ts";
import type { KeyringOp, KeyringResult, NativeStore } from "./keyringProtocol.ts";
import { nonEmpty, type Env } from "../../platform/env.ts";

export interface KeyringStoreOptions {
  /** The environment the keyring is reached through (DBUS_SESSION_BUS_ADDRESS, HOME, ...). */
  readonly env: Env;
  /** Bound on every keyring call made through the helper process. Default 3000 ms. */
  readonly timeoutMs?: number;
  /** Keyring service name. Default "awsmfa". */
  readonly service?: string;
  /** keyutils only: where the index lock file lives. Default $XDG_RUNTIME_DIR, else os.tmpdir(). */
  readonly lockDir?: string;
  /** keyutils only: names the index lock file in a shared default lockDir. */
  readonly uid?: number | undefined;
  /** The node binary that runs the keyring helper process (not used by keyutils). */
  readonly nodePath: string;
}

export const DEFAULT_SERVICE = "awsmfa";
export const DEFAULT_KEYRING_TIMEOUT_MS = 3000;
const INDEX_ACCOUNT = "index";
const KINDS: readonly ItemKind[] = ["keys", "session", "vault-token"];

function account(kind: ItemKind, name: string): string {
  return `${kind}:${name}`;
}

function parseAccount(acct: string): ItemRef | undefined {
  const colon = acct.indexOf(":");
  if (colon < 0) return undefined;
  const kind = KINDS.find((k) => k === acct.slice(0, colon));
  return kind === undefined ? undefined : { kind, name: acct.slice(colon + 1) };
}

function one(results: readonly KeyringResult[], i = 0): KeyringResult {
  const r = results[i];
  if (r === undefined) throw new Error(`keyring helper returned ${String(results.length)} results`);
  return r;
}

function napiKeyringStore(
  backend: BackendName,
  store: NativeStore,
  options: KeyringStoreOptions,
): SecretStore {
  const service = options.service ?? DEFAULT_SERVICE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYRING_TIMEOUT_MS;
  const runner =
    store === "keyutils"
      ? inProcessKeyring()
      : helperProcess({ env: options.env, timeoutMs, nodePath: options.nodePath });
  const run = (ops: readonly KeyringOp[]) => runner.run({ store, service, ops });
  const indexed = store === "keyutils";
  const lockPath = join(
    options.lockDir ?? nonEmpty(options.env.XDG_RUNTIME_DIR) ?? tmpdir(),
    `awsmfa-${String(options.uid ?? "user")}-keyutils-${encodeURIComponent(service)}`,
  );
  // The index lock only has to cover the index update; the wait is bounded
  // by the lock's own timeout.
  const underIndexLock = <T>(fn: () => Promise<T>): Promise<T> =>
    indexed ? withLock(lockPath, fn, { what: "the keyutils index" }) : fn();

  return {
    backend,
    async get(kind, name) {
      const r = one(await run([{ op: "get", account: account(kind, name) }]));
      return typeof r === "string" ? r : undefined;
    },
    async set(kind, name, value) {
      const acct = account(kind, name);
      // Read back before saying "stored": a keyring can accept a write it
      // will not give back (the kernel keyring, when this process does not
      // possess the keyring the key went to), and the keys would be lost
      // quietly. Only a readable item enters the index.
      await underIndexLock(async () => {
        await run([{ op: "set", account: acct, value }]);
        try {
          const get: KeyringOp = { op: "get", account: acct };
          let readable = one(await run([get])) === value;
          // A kernel key is readable only by processes that possess it; in
          // a shell without a session keyring of its own (no PAM login:
          // cron, some containers and ssh set-ups) it dies with this
          // process. The next awsmfa process is what counts.
          if (readable && store === "keyutils") readable = !(await keyutilsSessionDiesWithUs());
          if (!readable) throw keyringNotReadBackError(store, kind, name);
        } catch (e) {
          // Unreadable or unchecked (a timeout): take it out, index entry
          // included, so no secret stays where list and clear cannot see it.
          const cleanup: KeyringOp[] = [{ op: "delete", account: acct }];
          if (indexed) cleanup.push({ op: "indexRemove", account: INDEX_ACCOUNT, entry: acct });
          await run(cleanup).catch(() => undefined);
          throw e;
        }
        if (indexed) await run([{ op: "indexAdd", account: INDEX_ACCOUNT, entry: acct }]);
      });
    },
    async remove(kind, name) {
      const acct = account(kind, name);
      const ops: KeyringOp[] = [{ op: "delete", account: acct }];
      if (indexed) ops.push({ op: "indexRemove", account: INDEX_ACCOUNT, entry: acct });
      const r = one(await underIndexLock(() => run(ops)));
      return r === true;
    },
    async list(kind) {
      let accounts: readonly string[];
      if (indexed) {
        const r = one(await run([{ op: "get", account: INDEX_ACCOUNT }]));
        accounts = typeof r === "string" ? parseIndex(r) : [];
      } else {
        const r = one(await run([{ op: "find" }]));
        accounts = Array.isArray(r) ? r : [];
      }
      const refs: ItemRef[] = [];
      for (const a of accounts) {
        const ref = parseAccount(a);
        if (ref !== undefined && (kind === undefined || ref.kind === kind)) refs.push(ref);
      }
      return refs;
    },
  };
}

/** The helper process (keyringProcess.ts), loaded and started on first use. */
function helperProcess(options: KeyringProcessOptions): KeyringRunner {
  let helper: Promise<KeyringRunner> | undefined;
  return {
    async run(request) {
      helper ??= import("./keyringProcess.ts").then((m) => m.keyringHelper(options));
      return (await helper).run(request);
    },
  };
}

function parseIndex(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
}

/** GNOME Keyring / KWallet over D-Bus (Linux, BSD). */
export function secretServiceStore(options: KeyringStoreOptions): SecretStore {
  return napiKeyringStore("secret-service", "secret-service", options);
}

/** The Linux kernel keyring. Items live as long as the kernel's session/user keyrings. */
export function keyutilsStore(options: KeyringStoreOptions): SecretStore {
  return napiKeyringStore("keyutils", "keyutils", options);
}

/** The macOS Keychain (login keychain). Not tested on this CI: no macOS runner. */
export function keychainStore(options: KeyringStoreOptions): SecretStore {
  return napiKeyringStore("keychain", "keychain", options);
}

/** The Windows Credential Manager. Not tested on this CI: no Windows runner. */
export function wincredStore(options: KeyringStoreOptions): SecretStore {
  return napiKeyringStore("wincred", "wincred", options);
}
