/**
 * Credentials from HashiCorp Vault / OpenBao's AWS secrets engine
 * (vault_path). Cached in the store until their expiry window under a
 * cross-process lock of their own (the same lock as the STS steps), so N
 * parallel callers make one Vault read. An iam_user lease is handed out
 * only once STS accepts its new key. The HTTP client is loaded only for a
 * read: a cached call loads neither node:http nor node:https (hotPath test).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { resolveStsEndpoint } from "../../aws/endpoint.ts";
import { AwsmfaError, redactKeyId } from "../../errors.ts";
import { withLock } from "../../platform/lock.ts";
import { nonBlank } from "../../platform/env.ts";
import { loginHint } from "../../vault/vaultErrors.ts";
import {
  readVaultEntry,
  vaultCacheKey,
  vaultEntryValue,
  type VaultCacheEntry,
} from "../../vault/vaultCache.ts";
import { vaultTarget, type VaultTarget } from "../../vault/vaultTarget.ts";
import { findVaultToken } from "../../vault/vaultToken.ts";
import type { ProcessCredentials } from "../credentialProcess.ts";
import { formatDuration } from "../durations.ts";
import { EXPIRY_WINDOW_MS } from "../sessionCache.ts";
import { lockPath } from "../stepLock.ts";
import type { EngineDeps } from "../types.ts";
import type { SourceKind } from "./SourceContext.ts";

const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

export const vaultSource: SourceKind<"vault"> = {
  async load(source, { deps, mfaCode: mfaCodeFor }) {
    const p = deps.config.profiles.get(source.profile);
    if (p === undefined) throw new Error(`profile ${source.profile} vanished from the config`);
    const target = vaultTarget(p, deps.env);
    if (target.tls.skipVerify) {
      deps.warn(
        `VAULT_SKIP_VERIFY is set: Vault's TLS certificate at ${target.addr} is not checked, so anyone on the way can read these credentials. Set VAULT_CACERT instead.`,
      );
    }
    const key = vaultCacheKey(source.profile, target);
    const cached = await usable(deps, key, "");
    if (cached !== undefined) return cached;
    const timeoutMs = deps.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    return withLock(
      lockPath(deps.lockDir, key),
      async () => {
        const again = await usable(deps, key, " (read by another awsmfa process)");
        if (again !== undefined) return again;
        // Asked under the lock, after the second look: parallel callers share one code.
        const mfaCode = source.mfa === undefined ? undefined : await mfaCodeFor(source.mfa);
        const entry = await fetch(deps, source.profile, target, mfaCode);
        try {
          await deps.store.set("session", key, vaultEntryValue(entry));
          deps.debug(
            `cached the Vault credentials of profile ${source.profile} until ${entry.expiration.toISOString()}`,
          );
        } catch (e) {
          deps.warn(
            `could not cache the Vault credentials of profile ${source.profile} (${e instanceof Error ? e.message : String(e)}); the next call reads Vault again.`,
          );
        }
        return toProcess(entry);
      },
      {
        clock: deps.clock,
        timeoutMs,
        holdMs: timeoutMs,
        what: `the Vault credentials of profile ${source.profile}, which another awsmfa process is reading`,
        onWait: (holder) => {
          deps.debug(
            `waiting for awsmfa process ${String(holder.pid)}, which is reading Vault for profile ${source.profile}`,
          );
        },
      },
    );
  },
  describe: (source) => `the Vault credentials (${source.path}) of profile ${source.profile}`,
};

/** The cached entry while more than the expiry window is left. */
async function usable(
  deps: EngineDeps,
  key: string,
  how: string,
): Promise<ProcessCredentials | undefined> {
  const e = await readVaultEntry(deps.store, key);
  if (e === undefined) return undefined;
  const left = e.expiration.getTime() - deps.clock.now();
  if (left <= EXPIRY_WINDOW_MS) return undefined;
  deps.debug(
    `reusing the cached Vault credentials ${redactKeyId(e.accessKeyId)}${how}, ${formatDuration(left / 1000)} left`,
  );
  return toProcess(e);
}

function toProcess(e: VaultCacheEntry): ProcessCredentials {
  return {
    accessKeyId: e.accessKeyId,
    secretAccessKey: e.secretAccessKey,
    ...(e.sessionToken === undefined ? {} : { sessionToken: e.sessionToken }),
    expiration: e.expiration,
  };
}

async function fetch(
  deps: EngineDeps,
  profile: string,
  target: VaultTarget,
  mfaCode: string | undefined,
): Promise<VaultCacheEntry> {
  const who = `profile ${profile}`;
  const found = await findVaultToken(deps.env, deps.homedir, deps.store, target);
  if (found === undefined) {
    throw new AwsmfaError("E_VAULT_NO_TOKEN", `No Vault token for ${who} (${target.addr}).`, {
      hint: `Set VAULT_TOKEN, or ${loginHint(target).replace(/^Log in again/, "log in")}`,
    });
  }
  deps.debug(`reading Vault ${target.addr}/v1/${target.path} with the token from ${found.from}`);
  const done = deps.progress?.(`reading ${target.path} from Vault`);
  try {
    const { readAwsCreds } = await import("../../vault/readAwsCreds.ts");
    const started = deps.clock.now();
    const c = await readAwsCreds(
      target,
      { server: target, who, tokenFrom: found.from },
      found.token,
      mfaCode,
    );
    deps.debug(
      `Vault gave ${c.sessionToken === undefined ? "IAM user keys" : "STS credentials"} ${redactKeyId(c.accessKeyId)} for ${formatDuration(c.leaseSeconds)}${c.leaseId === "" ? "" : ` (lease ${c.leaseId})`}`,
    );
    if (c.sessionToken === undefined) {
      const { waitUntilUsable } = await import("../../vault/waitUntilUsable.ts");
      const p = deps.config.profiles.get(profile);
      const region =
        nonBlank(p?.region) ??
        nonBlank(deps.env.AWS_REGION) ??
        nonBlank(deps.env.AWS_DEFAULT_REGION) ??
        "us-east-1";
      const endpoint = resolveStsEndpoint(
        deps.env,
        deps.config,
        p === undefined ? [] : [p],
        region,
      );
      const sts = deps.sts({
        credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
        region,
        endpoint: endpoint.url,
        ...(deps.stsTimeouts === undefined ? {} : { timeouts: deps.stsTimeouts }),
      });
      await waitUntilUsable(
        sts,
        { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
        who,
        (ms) => sleep(ms),
        deps.debug,
      );
    }
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: new Date(started + c.leaseSeconds * 1000),
      leaseId: c.leaseId,
      addr: target.addr,
      namespace: target.namespace,
      path: target.path,
    };
  } finally {
    done?.();
  }
}
