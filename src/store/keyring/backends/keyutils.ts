/** The keyutils backend as openStore loads it (BackendModule). */
import { checkedLockDir } from "../../lockDir.ts";
import type { BackendContext } from "../../backendContext.ts";
import type { SecretStore } from "../../SecretStore.ts";
import { probeKeyring } from "../probeKeyring.ts";
import { DEFAULT_KEYRING_TIMEOUT_MS, keyutilsStore } from "../keyringStore.ts";

export async function openBackend(ctx: BackendContext): Promise<SecretStore> {
  // The index lock goes beside awsmfa's other locks (a 0700 directory),
  // not in a shared temp dir where another user could hold it forever.
  const lockDir = await checkedLockDir(ctx);
  return keyutilsStore({ env: ctx.env, lockDir, uid: ctx.uid, nodePath: ctx.nodePath });
}

/** Asked only when choosing a default: does the keyring answer within the timeout? */
export function available(ctx: BackendContext): Promise<boolean> {
  return probeKeyring("keyutils", {
    env: ctx.env,
    timeoutMs: DEFAULT_KEYRING_TIMEOUT_MS,
    nodePath: ctx.nodePath,
  });
}
