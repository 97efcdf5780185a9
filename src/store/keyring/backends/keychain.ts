/** The keychain backend as openStore loads it (BackendModule). */
import type { BackendContext } from "../../backendContext.ts";
import type { SecretStore } from "../../SecretStore.ts";
import { probeKeyring } from "../probeKeyring.ts";
import { DEFAULT_KEYRING_TIMEOUT_MS, keychainStore } from "../keyringStore.ts";

export function openBackend(ctx: BackendContext): Promise<SecretStore> {
  return Promise.resolve(keychainStore({ env: ctx.env, nodePath: ctx.nodePath }));
}

/** Asked only when choosing a default: does the keyring answer within the timeout? */
export function available(ctx: BackendContext): Promise<boolean> {
  return probeKeyring("keychain", {
    env: ctx.env,
    timeoutMs: DEFAULT_KEYRING_TIMEOUT_MS,
    nodePath: ctx.nodePath,
  });
}
