/**
 * Picks and opens the SecretStore backend: --backend / AWSMFA_BACKEND /
 * AWS_VAULT_BACKEND (resolved by the CLI and passed as `backend`), else the
 * first backend of the platform's order that is registered and answers.
 *
 * Backends are loaded lazily: the CLI hot path (a cached credential_process)
 * imports only the one it uses. Adding a backend is one line in BACKENDS
 * (and, for a default, one name in DEFAULT_ORDER).
 */
import { AwsmfaError, isAwsmfaError } from "../errors.ts";
import type { Clock } from "../platform/clock.ts";
import type { Env } from "../platform/env.ts";
import type { Tty } from "../platform/tty.ts";
import { displayPath, type BackendContext, type BackendModule } from "./backendContext.ts";
import {
  cheapNo,
  forgetMemo,
  memoKey,
  memoPath,
  readMemo,
  writeMemo,
} from "./defaultBackendMemo.ts";
import type { ScryptParams } from "./file/crypto.ts";
import type { KeyAgent } from "./file/keyAgent.ts";
import type { BackendName, SecretStore } from "./SecretStore.ts";

export interface OpenStoreOptions {
  /** The backend asked for; undefined picks the platform's default. */
  readonly backend?: BackendName | undefined;
  readonly env: Env;
  readonly homedir: string;
  readonly clock: Clock;
  /**
   * The terminal, for the file store passphrase when no variable gives it.
   * Default: /dev/tty (src/platform/tty.ts), opened only when needed.
   */
  readonly tty?: (() => Promise<Tty>) | undefined;
  /** --file-dir; wins over AWSMFA_FILE_DIR. */
  readonly fileDir?: string | undefined;
  /** scrypt parameters for a file store created now; default DEFAULT_SCRYPT. */
  readonly fileScrypt?: ScryptParams | undefined;
  /**
   * The caller will read secrets right away (exec, export, write): a file
   * store whose passphrase is in the environment starts deriving its key now,
   * so the KDF overlaps reading the config instead of following it.
   */
  readonly unlockEarly?: boolean | undefined;
  /** --debug: told why a default backend was passed over. */
  readonly debug?: ((message: string) => void) | undefined;
  /** Told about something worth a warning (a store file others can read). */
  readonly warn?: ((message: string) => void) | undefined;
  /** Which backends exist and which is the default (CliContext.platform). */
  readonly platform: NodeJS.Platform;
  /** The node binary that runs helper processes (CliContext.nodePath). */
  readonly nodePath: string;
  /** This user's id, where the platform has one (CliContext.uid). */
  readonly uid?: number | undefined;
  /** The unlock agent the file store asks before deriving its key (src/agent/). */
  readonly agent?: KeyAgent | undefined;
  /** Which backends exist and how each is loaded; default BACKENDS. */
  readonly backends?: BackendRegistry | undefined;
}

/** Backends by name, each loaded on first use. */
export type BackendRegistry = Partial<Record<BackendName, () => Promise<BackendModule>>>;

/** The backends this build has, each loaded on first use. */
export const BACKENDS: BackendRegistry = {
  file: () => import("./file/backend.ts"),
  "secret-service": () => import("./keyring/backends/secretService.ts"),
  keyutils: () => import("./keyring/backends/keyutils.ts"),
  keychain: () => import("./keyring/backends/keychain.ts"),
  wincred: () => import("./keyring/backends/wincred.ts"),
  pass: () => import("./pass/backend.ts"),
};

/** Backends that exist on one platform only. */
const ONLY_ON: Partial<Record<BackendName, { platform: NodeJS.Platform; name: string }>> = {
  keychain: { platform: "darwin", name: "macOS" },
  wincred: { platform: "win32", name: "Windows" },
  keyutils: { platform: "linux", name: "Linux" },
};

/**
 * Which backends to try, in order, when none is asked for. The OS keyring
 * first (once registered above), the encrypted file store last: it works
 * everywhere.
 */
export const DEFAULT_ORDER: Readonly<Partial<Record<NodeJS.Platform, readonly BackendName[]>>> = {
  darwin: ["keychain", "file"],
  linux: ["secret-service", "file"],
  win32: ["wincred", "file"],
};

export async function openStore(options: OpenStoreOptions): Promise<SecretStore> {
  const ctx: BackendContext = {
    env: options.env,
    homedir: options.homedir,
    clock: options.clock,
    tty: options.tty ?? defaultTty,
    fileDir: options.fileDir,
    fileScrypt: options.fileScrypt,
    unlockEarly: options.unlockEarly === true,
    platform: options.platform,
    nodePath: options.nodePath,
    uid: options.uid,
    warn: options.warn,
    agent: options.agent,
  };
  if (options.backend !== undefined) {
    const loadNamed = (options.backends ?? BACKENDS)[options.backend];
    if (loadNamed === undefined) throw notAvailable(options.backend);
    const only = ONLY_ON[options.backend];
    if (only !== undefined && only.platform !== ctx.platform) {
      throw new AwsmfaError(
        "E_BACKEND_UNAVAILABLE",
        `The ${options.backend} backend needs ${only.name}; this is ${ctx.platform}.`,
        { hint: "Use --backend file (works everywhere), or the keyring of this system." },
      );
    }
    return (await loadNamed()).openBackend(ctx);
  }
  return openDefault(ctx, options.backends ?? BACKENDS, options.debug);
}

/**
 * The first backend of the platform's order that answers. Asking a keyring
 * costs a helper process (and up to its timeout), so the answer is
 * remembered beside the store (defaultBackendMemo.ts) and a keyring module
 * is loaded only when it is the answer or has to be asked.
 */
async function openDefault(
  ctx: BackendContext,
  registry: BackendRegistry,
  debug: ((message: string) => void) | undefined,
): Promise<SecretStore> {
  const order = DEFAULT_ORDER[ctx.platform] ?? ["file"];
  const names: BackendName[] = [];
  for (const name of order) {
    if (registry[name] === undefined) continue;
    // Checked before loading the module: a cached credential_process on a
    // box without a session bus never loads a keyring module.
    const no = cheapNo(name, ctx.env);
    if (no === undefined) names.push(name);
    else
      debug?.(`the ${name} backend was not asked: ${no}. Use --backend ${name} to see its error.`);
  }
  const last = names.at(-1);
  if (last === undefined) throw notAvailable("file");
  // Only the last one left (the file store): nothing to ask, nothing to remember.
  if (names.length === 1) return openChosen(ctx, registry, last, debug);

  const path = memoPath(ctx);
  const shown = displayPath(path, ctx.homedir);
  const key = await memoKey(ctx.env, ctx.platform, order);
  const memo = await readMemo(path, key, ctx.uid, names);
  if (memo.kind === "hit") {
    debug?.(`default backend: ${memo.backend}, remembered in ${shown}.`);
    const store = await load(registry, memo.backend).then((b) => b.openBackend(ctx));
    return memo.backend === last ? store : forgetOnKeyringFailure(store, path, shown);
  }
  debug?.(`default backend: not remembered in ${shown} (${memo.why}); asking the backends.`);
  for (const name of names) {
    const backend = await load(registry, name);
    // Why the file store needs no probe: it answers wherever there is a disk.
    if (backend.available === undefined || (await backend.available(ctx))) {
      try {
        await writeMemo(ctx, key, name);
        debug?.(`default backend: ${name}; remembered in ${shown}.`);
      } catch (e) {
        // Best effort: the next call asks again.
        debug?.(`default backend: ${name}; not remembered (${errorText(e)}).`);
      }
      return backend.openBackend(ctx);
    }
    // Not silent: keys stored in that keyring are not visible from the next one.
    debug?.(
      `the ${name} backend did not answer (absent, locked or too slow); trying the next default. Use --backend ${name} to see its error.`,
    );
  }
  throw notAvailable("file");
}

async function openChosen(
  ctx: BackendContext,
  registry: BackendRegistry,
  name: BackendName,
  debug: ((message: string) => void) | undefined,
): Promise<SecretStore> {
  const backend = await load(registry, name);
  if (backend.available === undefined || (await backend.available(ctx))) {
    return backend.openBackend(ctx);
  }
  debug?.(`the ${name} backend did not answer; no other default is left.`);
  throw notAvailable(name);
}

function load(registry: BackendRegistry, name: BackendName): Promise<BackendModule> {
  const loader = registry[name];
  if (loader === undefined) throw notAvailable(name);
  return loader();
}

/**
 * A keyring remembered as answering is opened without asking it again, so
 * when it stops answering (the daemon quit, the keyring got locked) the
 * call fails with the keyring's own clear error, and the memo is dropped:
 * the next call asks the backends again and falls to the next default.
 * Not silently to the file store within this call: a session read from a
 * keyring that is only slow must not be fetched again and written elsewhere.
 */
function forgetOnKeyringFailure(store: SecretStore, path: string, shown: string): SecretStore {
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (e) {
      if (!isAwsmfaError(e) || (e.code !== "E_KEYRING" && e.code !== "E_KEYRING_TIMEOUT")) throw e;
      await forgetMemo(path);
      throw new AwsmfaError(e.code, e.message, {
        hint: `${e.hint ?? ""} awsmfa had remembered the ${store.backend} backend as the default (${shown}); it has forgotten it and asks again on the next call.`.trim(),
        cause: e,
      });
    }
  };
  return {
    backend: store.backend,
    get: (kind, name) => guard(() => store.get(kind, name)),
    set: (kind, name, value) => guard(() => store.set(kind, name, value)),
    remove: (kind, name) => guard(() => store.remove(kind, name)),
    list: (kind) => guard(() => store.list(kind)),
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function defaultTty(): Promise<Tty> {
  const { openTty } = await import("../platform/tty.ts");
  return openTty();
}

function notAvailable(name: BackendName): AwsmfaError {
  const have = Object.keys(BACKENDS).join(", ");
  return new AwsmfaError("E_BACKEND_UNAVAILABLE", `The ${name} backend is not available yet.`, {
    hint: `Use --backend with one of: ${have} (or set AWSMFA_BACKEND).`,
  });
}
