/** The secret-service backend as openStore loads it (BackendModule). */
import type { BackendContext } from "../../backendContext.ts";
import { cheapNo } from "../../defaultBackendMemo.ts";
import type { SecretStore } from "../../SecretStore.ts";
import { probeKeyring } from "../probeKeyring.ts";
import { DEFAULT_KEYRING_TIMEOUT_MS, secretServiceStore } from "../keyringStore.ts";

export function openBackend(ctx: BackendContext): Promise<SecretStore> {
  return Promise.resolve(secretServiceStore({ env: ctx.env, nodePath: ctx.nodePath }));
}

/** Asked only when choosing a default: does the keyring answer within the timeout? */
export function available(ctx: BackendContext): Promise<boolean> {
  // No session bus at all (headless box, container): nothing to ask. openStore
  // checks this before loading this module; asked directly, it holds too.
  if (cheapNo("secret-service", ctx.env) !== undefined) return Promise.resolve(false);
  return probeKeyring("secret-service", {
    env: ctx.env,
    timeoutMs: DEFAULT_KEYRING_TIMEOUT_MS,
    nodePath: ctx.nodePath,
  });
}
