/** The pass backend as openStore loads it (BackendModule). Never a default: only by name. */
import type { BackendContext } from "../backendContext.ts";
import type { SecretStore } from "../SecretStore.ts";
import { passStore } from "./passStore.ts";

export function openBackend(ctx: BackendContext): Promise<SecretStore> {
  return Promise.resolve(passStore({ env: ctx.env }));
}
