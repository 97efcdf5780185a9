/**
 * Which backend to use: resolveBackendName() reads what the user asked for
 * (--backend, AWSMFA_BACKEND, aws-vault's AWS_VAULT_BACKEND);
 * detectDefaultBackend() picks one when nobody asked: the platform keyring
 * when it answers within the timeout, else "file".
 */
import type { BackendName } from "../SecretStore.ts";
import { runKeyringOps } from "./keyringProcess.ts";
import type { NativeStore } from "./keyringProtocol.ts";
import type { Env } from "../../platform/env.ts";

export { BACKEND_NAMES, resolveBackendName, type ResolvedBackend } from "../backendName.ts";

/** The OS keyring a platform has, if any. */
export function platformKeyring(platform: NodeJS.Platform): NativeStore | undefined {
  switch (platform) {
    case "darwin":
      return "keychain";
    case "win32":
      return "wincred";
    case "linux":
    case "freebsd":
    case "openbsd":
      // The kernel keyring is not offered as a default: it forgets
      // everything at logout/reboot, which is wrong for long-term keys.
      return "secret-service";
    default:
      return undefined;
  }
}

export type KeyringProbe = (store: NativeStore, env: Env, timeoutMs: number) => Promise<boolean>;

/** Asks the keyring for an item that does not exist: any answer means it works. */
export const probeKeyring: KeyringProbe = async (store, env, timeoutMs) => {
  try {
    await runKeyringOps(
      { store, service: "awsmfa", ops: [{ op: "get", account: "probe:awsmfa" }] },
      { env, timeoutMs },
    );
    return true;
  } catch {
    // Any failure (timeout, locked, no bus) means "do not default to it";
    // the caller says so under --debug via onFallback.
    return false;
  }
};

export interface DetectOptions {
  readonly platform: NodeJS.Platform;
  readonly env: Env;
  /** Bound on the probe. */
  readonly timeoutMs: number;
  /** How to probe; probeKeyring unless given. */
  readonly probe?: KeyringProbe;
  /** Told why the keyring was not chosen (for --debug). */
  readonly debug?: (message: string) => void;
}

export async function detectDefaultBackend(options: DetectOptions): Promise<BackendName> {
  const store = platformKeyring(options.platform);
  const debug = options.debug ?? (() => undefined);
  if (store === undefined) {
    debug(`no OS keyring known on ${options.platform}; using the file backend`);
    return "file";
  }
  // Without a session bus address there is nothing to ask (a headless box,
  // a container, ssh without a desktop): skip the probe's child process.
  // (Without the variable, D-Bus clients try $XDG_RUNTIME_DIR/bus.)
  if (
    store === "secret-service" &&
    !options.env.DBUS_SESSION_BUS_ADDRESS &&
    !options.env.XDG_RUNTIME_DIR
  ) {
    debug(
      "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset), so no Secret Service; using the file backend",
    );
    return "file";
  }
  const ok = await (options.probe ?? probeKeyring)(store, options.env, options.timeoutMs);
  if (ok) {
    debug(`the ${store} keyring answered; using it`);
    return store;
  }
  debug(
    `the ${store} keyring did not answer within ${String(options.timeoutMs)} ms; using the file backend`,
  );
  return "file";
}
