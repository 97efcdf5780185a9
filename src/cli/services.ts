/**
 * Lazy access to the heavier parts a command may need. Each is imported on
 * first use, so a command only pays for what it touches.
 */
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { keyAgent } from "../agent/keyAgent.ts";
import { AGENT_SOCK_VAR, agentSocketPath } from "../agent/socketPath.ts";
import type { KeyAgent } from "../store/file/keyAgent.ts";
import type { AwsConfig } from "../config/types.ts";
import type { SecretStore } from "../store/SecretStore.ts";
import { fileStoreDir } from "../store/openStore.ts";
import type { CommandInput } from "./command.ts";

export async function loadConfig(input: CommandInput): Promise<AwsConfig> {
  const { loadAwsConfig } = await import("../config/loadAwsConfig.ts");
  return loadAwsConfig({ env: input.ctx.env, homedir: input.ctx.homedir });
}

export async function openSecretStore(
  input: CommandInput,
  options: { readonly unlockEarly?: boolean; readonly startAgent?: boolean } = {},
): Promise<SecretStore> {
  const { openStore } = await import("../store/openStore.ts");
  const agent = storeAgent(input, options.startAgent);
  const store = await openStore({
    agent,
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

/** Variables that hold the file store's passphrase: never handed to the agent. */
const PASSPHRASE_VARS = ["AWSMFA_FILE_PASSPHRASE", "AWS_VAULT_FILE_PASSPHRASE"];

/**
 * The unlock agent for the file store, unless this process may not use one
 * (no AgentHost, or AWSMFA_AGENT=off). It is started by a passphrase typed
 * on the terminal (none comes from the environment), or by `awsmfa unlock`.
 */
export function storeAgent(input: CommandInput, start?: boolean): KeyAgent | undefined {
  const host = input.ctx.agent;
  const env = input.ctx.env;
  if (host === undefined || env.AWSMFA_AGENT?.trim().toLowerCase() === "off") return undefined;
  const socketPath = agentSocketPath({ env, uid: host.uid, tmpdir: host.tmpdir });
  const fromEnv = PASSPHRASE_VARS.some((v) => (env[v] ?? "") !== "");
  return keyAgent({
    socketPath,
    uid: host.uid,
    version: pkg.version,
    autoStart: start ?? !fromEnv,
    spawnAgent: (sock) => {
      const childEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(env)) {
        if (v !== undefined && !PASSPHRASE_VARS.includes(k)) childEnv[k] = v;
      }
      childEnv[AGENT_SOCK_VAR] = sock;
      return host.spawnAgent(childEnv);
    },
    debug: input.debug,
    warn: (message) => {
      input.ctx.stderr(`awsmfa: warning: ${message}\n`);
    },
  });
}
