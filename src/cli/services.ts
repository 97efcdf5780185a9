/**
 * Lazy access to the heavier parts a command may need. Each is imported on
 * first use, so a command only pays for what it touches.
 */
import { join } from "node:path";
import type { AwsConfig } from "../config/types.ts";
import type { SecretStore } from "../store/SecretStore.ts";
import { fileStoreDir } from "../store/backendContext.ts";
import type { CommandInput } from "./command.ts";

export async function loadConfig(input: CommandInput): Promise<AwsConfig> {
  const { loadAwsConfig } = await import("../config/loadAwsConfig.ts");
  return loadAwsConfig({ env: input.ctx.env, homedir: input.ctx.homedir });
}

export async function openSecretStore(
  input: CommandInput,
  options: { readonly unlockEarly?: boolean } = {},
): Promise<SecretStore> {
  const { openStore } = await import("../store/openStore.ts");
  const store = await openStore({
    unlockEarly: options.unlockEarly,
    debug: input.debug,
    backend: input.globals.backend,
    fileDir: input.globals.fileDir,
    env: input.ctx.env,
    homedir: input.ctx.homedir,
    clock: input.ctx.clock,
  });
  input.debug(`using the ${store.backend} backend`);
  return store;
}

/** Where cross-process locks for the session cache live (beside the file store, whatever the backend). */
export function lockDir(input: CommandInput): string {
  return join(
    fileStoreDir({
      env: input.ctx.env,
      fileDir: input.globals.fileDir,
      homedir: input.ctx.homedir,
    }),
    "locks",
  );
}
