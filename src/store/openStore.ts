/**
 * Picks and opens the SecretStore backend: --backend / AWSMFA_BACKEND /
 * AWS_VAULT_BACKEND (resolved by the CLI and passed as `backend`), else the
 * first backend of the platform's order that is registered and answers.
 *
 * Backends are loaded lazily: the CLI hot path (a cached credential_process)
 * imports only the one it uses. Adding a backend is one line in BACKENDS
 * (and, for a default, one name in DEFAULT_ORDER).
 */
import { AwsmfaError } from "../errors.ts";
import type { Clock } from "../platform/clock.ts";
import type { Env } from "../platform/env.ts";
import type { Tty } from "../platform/tty.ts";
import type { BackendContext, BackendModule } from "./backendContext.ts";
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
}

/** The backends this build has, each loaded on first use. */
export const BACKENDS: Partial<Record<BackendName, () => Promise<BackendModule>>> = {
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
    const load = BACKENDS[options.backend];
    if (load === undefined) throw notAvailable(options.backend);
    const only = ONLY_ON[options.backend];
    if (only !== undefined && only.platform !== ctx.platform) {
      throw new AwsmfaError(
        "E_BACKEND_UNAVAILABLE",
        `The ${options.backend} backend needs ${only.name}; this is ${ctx.platform}.`,
        { hint: "Use --backend file (works everywhere), or the keyring of this system." },
      );
    }
    return (await load()).openBackend(ctx);
  }
  for (const name of DEFAULT_ORDER[ctx.platform] ?? ["file"]) {
    const load = BACKENDS[name];
    if (load === undefined) continue;
    const backend = await load();
    // Why the file store needs no probe: it answers wherever there is a disk.
    if (backend.available === undefined || (await backend.available(ctx))) {
      return backend.openBackend(ctx);
    }
    // Not silent: keys stored in that keyring are not visible from the next one.
    options.debug?.(
      `the ${name} backend did not answer (absent, locked or too slow); trying the next default. Use --backend ${name} to see its error.`,
    );
  }
  throw notAvailable("file");
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
