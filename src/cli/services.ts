/**
 * Lazy access to the heavier parts a command may need. Each is imported on
 * first use, so a command only pays for what it touches.
 */
import pkg from "../../package.json" with { type: "json" };
import { keyAgent } from "../agent/keyAgent.ts";
import { STORE_SECRET_VARS, inheritedEnv } from "../platform/inheritedEnv.ts";
import { AGENT_SOCK_VAR, agentSocketPath } from "../agent/socketPath.ts";
import type { KeyAgent } from "../store/file/keyAgent.ts";
import type { AwsConfig } from "../config/types.ts";
import { parseStoredKeys, type SecretStore, type StoredKeys } from "../store/SecretStore.ts";
import { AwsmfaError } from "../errors.ts";
import { checkedLockDir } from "../store/lockDir.ts";
import type { CommandInput } from "./command.ts";

export async function loadConfig(
  input: CommandInput,
  options: { readonly configMayBeMissing?: boolean } = {},
): Promise<AwsConfig> {
  const { loadAwsConfig } = await import("../config/loadAwsConfig.ts");
  const config = await loadAwsConfig({
    env: input.ctx.env,
    homedir: input.ctx.homedir,
    ...options,
  });
  // A missing file reads as empty (the AWS CLI's rule too); say so, since a
  // profile's mfa_serial or role_arn then silently does not apply.
  if (config.configFileExists === false) {
    input.debug(
      `no config file at ${config.configFileLabel ?? config.configFile}: read as empty (no profile settings such as mfa_serial, role_arn or region)`,
    );
  }
  // Computed only here: every call reads the config, few print what is odd about it.
  if (input.globals.debug) {
    for (const d of config.diagnostics()) {
      input.debug(`${d.message}${d.hint === undefined ? "" : ` (${d.hint})`}`);
    }
  }
  if (config.credentialsFileExists === false) {
    input.debug(
      `no credentials file at ${config.credentialsFileLabel ?? config.credentialsFile}: read as empty`,
    );
  }
  return config;
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
    platform: input.ctx.platform,
    nodePath: input.ctx.nodePath,
    uid: input.ctx.uid,
    clock: input.ctx.clock,
    warn: (message) => {
      input.ctx.stderr(`awsmfa: warning: ${message}\n`);
    },
  });
  input.debug(`using the ${store.backend} backend`);
  return store;
}

/**
 * Where cross-process locks for the session cache live (beside the file
 * store, whatever the backend); refused when others can write there.
 */
export function lockDir(input: CommandInput): Promise<string> {
  return checkedLockDir({
    env: input.ctx.env,
    fileDir: input.globals.fileDir,
    homedir: input.ctx.homedir,
  });
}

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
  const fromEnv = STORE_SECRET_VARS.some((v) => (env[v] ?? "") !== "");
  return keyAgent({
    socketPath,
    uid: host.uid,
    version: pkg.version,
    autoStart: start ?? !fromEnv,
    // The agent never sees the passphrase: it is given the derived key.
    spawnAgent: (sock) => host.spawnAgent({ ...inheritedEnv(env), [AGENT_SOCK_VAR]: sock }),
    debug: input.debug,
    warn: (message) => {
      input.ctx.stderr(`awsmfa: warning: ${message}\n`);
    },
  });
}

/**
 * The long-term keys stored for `profile`, for commands that call IAM with
 * them (mfa, bootstrap --apply); E_NO_KEYS, saying whose key to add, when
 * there are none.
 */
export async function requireStoredKeys(
  store: SecretStore,
  profile: string,
  whose: string,
): Promise<StoredKeys> {
  const raw = await store.get("keys", profile);
  const keys = raw === undefined ? undefined : parseStoredKeys(raw);
  if (keys === undefined) {
    throw new AwsmfaError("E_NO_KEYS", `No long-term keys are stored for profile '${profile}'.`, {
      hint: `Store ${whose} access key first: awsmfa add ${profile}`,
    });
  }
  return keys;
}
