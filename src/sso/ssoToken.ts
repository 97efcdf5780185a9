/**
 * An access token for an IAM Identity Center session, from the AWS CLI's
 * token cache: used as it is while more than 15 minutes remain (the AWS
 * CLI's refresh window), refreshed with the refresh token inside that
 * window, and a new sign-in only when there is no usable refresh token.
 * All of it under one cross-process lock per session, so parallel callers
 * (Terraform, CDK running credential_process) share one refresh and one
 * browser sign-in.
 */
import { AwsmfaError } from "../errors.ts";
import type { Clock } from "../platform/clock.ts";
import type { Env } from "../platform/env.ts";
import { withLock } from "../platform/lock.ts";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { createToken, SsoApiError, type SsoApiDeps } from "./ssoApi.ts";
import type { SsoDeps } from "./SsoDeps.ts";
import { tokenCacheKey, type SsoSession } from "./ssoSettings.ts";
import { readToken, tokenCachePath, tokenFrom, writeToken, type SsoToken } from "./tokenCache.ts";

/** Inside this much of its expiry a token is refreshed (the AWS CLI's window). */
export const REFRESH_WINDOW_MS = 15 * 60_000;
const DEFAULT_LOCK_TIMEOUT_MS = 6 * 60_000;
const API_TIMEOUT_MS = 15_000;

export interface SsoTokenDeps {
  readonly clock: Clock;
  readonly env: Env;
  readonly homedir: string;
  readonly lockDir: string;
  readonly sso: SsoDeps;
  readonly debug: (message: string) => void;
  readonly warn: (message: string) => void;
  readonly lockTimeoutMs?: number;
}

export interface TokenOptions {
  /** How to sign in when neither the cache nor a refresh gives a token. */
  readonly signIn: "authorization-code" | "device-code";
  /** A token the portal just refused: not usable, whatever its expiresAt says. */
  readonly refused?: string;
  /** Sign in even when the cached token is good (`sso login --force`). */
  readonly force?: boolean;
}

export function apiDeps(deps: Pick<SsoTokenDeps, "env" | "sso">): SsoApiDeps {
  return { env: deps.env, fetch: deps.sso.fetch, timeoutMs: API_TIMEOUT_MS };
}

function fresh(t: SsoToken, now: number, opts: TokenOptions): boolean {
  return (
    opts.force !== true &&
    t.accessToken !== opts.refused &&
    t.expiresAt.getTime() - now > REFRESH_WINDOW_MS
  );
}

export function tokenLockPath(lockDir: string, session: SsoSession): string {
  // Named like the engine's step locks (a hash: portable file names).
  const key = `sso-token|${tokenCacheKey(session)}`;
  return join(lockDir, createHash("sha256").update(key).digest("hex").slice(0, 32));
}

export async function ssoAccessToken(
  deps: SsoTokenDeps,
  session: SsoSession,
  opts: TokenOptions,
): Promise<{ token: SsoToken; how: "cached" | "refreshed" | "signed-in" }> {
  const path = tokenCachePath(deps.homedir, session);
  const first = await readToken(path);
  if (first !== undefined && fresh(first, deps.clock.now(), opts)) {
    deps.debug(`using the SSO token of ${session.label} from ${path}`);
    return { token: first, how: "cached" };
  }
  const timeoutMs = deps.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  return withLock(
    tokenLockPath(deps.lockDir, session),
    async () => {
      const now = deps.clock.now();
      const t = await readToken(path);
      if (t !== undefined && fresh(t, now, opts)) {
        if (t.accessToken !== first?.accessToken) {
          deps.debug(`another process signed in to ${session.label} while we waited`);
        }
        return { token: t, how: "cached" };
      }
      if (t !== undefined && opts.force !== true) {
        const refreshed = await tryRefresh(deps, session, t, now);
        if (refreshed !== undefined) {
          await writeToken(path, refreshed);
          return { token: refreshed, how: "refreshed" };
        }
        if (t.accessToken !== opts.refused && t.expiresAt.getTime() > now) {
          deps.debug(
            `the SSO token of ${session.label} cannot be refreshed; using it while it lasts`,
          );
          return { token: t, how: "cached" };
        }
      }
      // Loaded only now: a cached credential_process never loads node:http.
      const { signIn } = await import("./signIn.ts");
      const token = await signIn(
        { clock: deps.clock, env: deps.env, sso: deps.sso, api: apiDeps(deps), debug: deps.debug },
        session,
        opts.signIn,
      );
      await writeToken(path, token);
      deps.debug(`signed in to ${session.label}; the token is in ${path}`);
      return { token, how: "signed-in" };
    },
    {
      clock: deps.clock,
      timeoutMs,
      holdMs: timeoutMs,
      what: `the sign-in to ${session.label}, which another awsmfa process is doing (a browser may be waiting for you)`,
      onLongWait: (holder) => {
        deps.warn(
          `waiting for awsmfa process ${String(holder.pid)}, which is signing in to ${session.label} (finish the sign-in in your browser); giving up after ${String(Math.round(timeoutMs / 1000))} s.`,
        );
      },
    },
  );
}

/** A refreshed token, or undefined when the refresh token is missing or refused. */
async function tryRefresh(
  deps: SsoTokenDeps,
  session: SsoSession,
  t: SsoToken,
  now: number,
): Promise<SsoToken | undefined> {
  const { refreshToken, clientId, clientSecret, registrationExpiresAt } = t;
  if (refreshToken === undefined || clientId === undefined || clientSecret === undefined) {
    deps.debug(`the SSO token of ${session.label} has no refresh token (a legacy sign-in)`);
    return undefined;
  }
  if (registrationExpiresAt !== undefined && registrationExpiresAt.getTime() <= now) {
    deps.debug(`the client registration for ${session.label} expired; a new sign-in is needed`);
    return undefined;
  }
  try {
    const created = await createToken(
      apiDeps(deps),
      session.region,
      { clientId, clientSecret },
      {
        grantType: "refresh_token",
        refreshToken,
      },
    );
    deps.debug(`refreshed the SSO token of ${session.label} with its refresh token`);
    return tokenFrom(
      deps.clock,
      session,
      {
        clientId,
        clientSecret,
        ...(registrationExpiresAt === undefined ? {} : { expiresAt: registrationExpiresAt }),
      },
      created,
      t,
    );
  } catch (e) {
    if (e instanceof SsoApiError && e.code !== "NetworkError" && e.status < 500) {
      deps.debug(`the refresh token of ${session.label} was refused (${e.code})`);
      return undefined;
    }
    if (t.expiresAt.getTime() > now) {
      deps.warn(
        `could not refresh the SSO token of ${session.label} (${e instanceof Error ? e.message : String(e)}); using it while it lasts.`,
      );
      return undefined;
    }
    throw explainSsoFailure(e, session);
  }
}

export function explainSsoFailure(e: unknown, session: SsoSession): unknown {
  if (!(e instanceof SsoApiError)) return e;
  return new AwsmfaError(
    "E_SSO_FAILED",
    `${e.message} (${session.label}, region ${session.region}).`,
    {
      hint:
        e.code === "NetworkError"
          ? "Check the network, or AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC."
          : "Sign in again with 'awsmfa sso login'.",
      cause: e,
    },
  );
}
