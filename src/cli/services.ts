/**
 * Lazy access to the heavier parts a command may need. Each is imported on
 * first use, so a command only pays for what it touches.
 */
import type { AwsConfig } from "../config/types.ts";
import type { SecretStore } from "../store/SecretStore.ts";
import type { CommandInput } from "./command.ts";
import { join } from "node:path";

export async function loadConfig(input: CommandInput): Promise<AwsConfig> {
  const { loadAwsConfig } = await import("../config/loadAwsConfig.ts");
  return loadAwsConfig({ env: input.ctx.env, homedir: input.ctx.homedir });
}

/** The environment with --file-dir applied, as the store reads it. */
function storeEnv(input: CommandInput): Readonly<Record<string, string | undefined>> {
  const fileDir = input.globals.fileDir;
  return fileDir === undefined ? input.ctx.env : { ...input.ctx.env, AWSMFA_FILE_DIR: fileDir };
}

export async function openSecretStore(input: CommandInput): Promise<SecretStore> {
  const { openStore } = await import("../store/openStore.ts");
  const store = await openStore({
    backend: input.globals.backend,
    env: storeEnv(input),
    homedir: input.ctx.homedir,
    clock: input.ctx.clock,
  });
  input.debug(`using the ${store.backend} backend`);
  return store;
}

/** Where cross-process locks for the session cache live. */
export function lockDir(input: CommandInput): string {
  const env = storeEnv(input);
  const base = env.AWSMFA_FILE_DIR ?? join(input.ctx.homedir, ".awsmfa");
  return join(base, "locks");
}
