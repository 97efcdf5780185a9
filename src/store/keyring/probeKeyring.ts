/**
 * Whether an OS keyring answers: what a keyring backend's available() asks
 * when openStore picks a default backend (see DEFAULT_ORDER there).
 */
import { runKeyringOps } from "./keyringProcess.ts";
import type { NativeStore } from "./keyringProtocol.ts";
import type { Env } from "../../platform/env.ts";

/** Asks the keyring for an item that does not exist: any answer means it works. */
export async function probeKeyring(
  store: NativeStore,
  options: { readonly env: Env; readonly timeoutMs: number; readonly nodePath: string },
): Promise<boolean> {
  try {
    await runKeyringOps(
      { store, service: "awsmfa", ops: [{ op: "get", account: "probe:awsmfa" }] },
      options,
    );
    return true;
  } catch {
    // Any failure (timeout, locked, no bus) means "do not default to it";
    // openStore says so under --debug and tries the next backend.
    return false;
  }
}
