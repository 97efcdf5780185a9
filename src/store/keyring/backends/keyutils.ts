/** The keyutils backend as openStore loads it (BackendModule). */
import { checkedLockDir } from "../../lockDir.ts";
import type { BackendContext } from "../../backendContext.ts";
import type { SecretStore } from "../../SecretStore.ts";
import { inProcessKeyring } from "../keyringInProcess.ts";
import { keyutilsStore } from "../keyringStore.ts";

export async function openBackend(ctx: BackendContext): Promise<SecretStore> {
  // The index lock goes beside awsmfa's other locks (a 0700 directory),
  // not in a shared temp dir where another user could hold it forever.
  const lockDir = await checkedLockDir(ctx);
  return keyutilsStore({ env: ctx.env, lockDir, uid: ctx.uid, nodePath: ctx.nodePath });
}

/** Asked only when choosing a default: does the kernel keyring answer? (In this process: it never blocks.) */
export async function available(): Promise<boolean> {
  try {
    await inProcessKeyring().run({
      store: "keyutils",
      service: "awsmfa",
      ops: [{ op: "get", account: "probe:awsmfa" }],
    });
    return true;
  } catch {
    return false; // openStore says so under --debug and tries the next backend
  }
}
