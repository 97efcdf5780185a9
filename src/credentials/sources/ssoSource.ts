/**
 * IAM Identity Center (sso_session / sso_start_url profiles): role
 * credentials from the SSO portal's GetRoleCredentials, signed in with the
 * AWS CLI's cached token (src/sso/). They are temporary, so no
 * GetSessionToken follows them; AssumeRole chains from them do. The role
 * credentials are cached in our store like every session, under one lock
 * per profile, so parallel callers make one portal call and, with no token,
 * one sign-in.
 */
import { AwsmfaError, redactKeyId } from "../../errors.ts";
import { withLock } from "../../platform/lock.ts";
import { getRoleCredentials, SsoApiError } from "../../sso/ssoApi.ts";
import { ssoRoleOf, ssoSessionOf, type SsoRole, type SsoSession } from "../../sso/ssoSettings.ts";
import {
  apiDeps,
  explainSsoFailure,
  ssoAccessToken,
  type SsoTokenDeps,
} from "../../sso/ssoToken.ts";
import type { TemporaryCredentials } from "../../aws/StsClient.ts";
import { roleCacheKey } from "../cacheKey.ts";
import { readCachedSession, writeCachedSession } from "../sessionCache.ts";
import { lockPath } from "../stepLock.ts";
import type { EngineDeps } from "../types.ts";
import type { SourceKind } from "./SourceContext.ts";

const DEFAULT_LOCK_TIMEOUT_MS = 6 * 60_000;

/** How role credentials from Identity Center are named in the store (a role entry, so list/clear know it). */
export function ssoRoleCacheKey(profile: string, session: SsoSession, role: SsoRole): string {
  return roleCacheKey(profile, ssoRoleArn(role), 0, {
    source: "sso",
    startUrl: session.startUrl,
    region: session.region,
  });
}

/** Not the real ARN (Identity Center's roles are AWSReservedSSO_<name>_<hash>): what names the entry. */
function ssoRoleArn(role: SsoRole): string {
  return `arn:aws:iam::${role.accountId}:role/${role.roleName}`;
}

export const ssoSource: SourceKind<"sso"> = {
  async load(source, { deps }) {
    const p = deps.config.profiles.get(source.profile);
    if (p === undefined) throw new Error(`profile ${source.profile} vanished from the config`);
    const session = ssoSessionOf(deps.config, p);
    const role = ssoRoleOf(p);
    const key = ssoRoleCacheKey(source.profile, session, role);
    const what = `role ${role.roleName} in account ${role.accountId} (${session.label})`;
    const cached = await readCachedSession(deps.store, key, deps.clock.now());
    if (cached.hit) {
      deps.debug(`reusing the cached credentials of ${what}`);
      return cached.credentials;
    }
    const sso = deps.sso;
    if (sso === undefined) {
      throw new AwsmfaError(
        "E_SSO_UNAVAILABLE",
        `Profile ${source.profile} signs in with IAM Identity Center, which this command cannot do.`,
      );
    }
    const tokenDeps: SsoTokenDeps = { ...deps, sso };
    const timeoutMs = deps.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    return withLock(
      lockPath(deps.lockDir, key),
      async () => {
        const again = await readCachedSession(deps.store, key, deps.clock.now(), true);
        if (again.hit) {
          deps.debug(`reusing the credentials of ${what} (fetched by another awsmfa process)`);
          return again.credentials;
        }
        const creds = await fetchRole(tokenDeps, session, role, what);
        deps.debug(`got ${what}: key ${redactKeyId(creds.accessKeyId)}`);
        await cache(deps, key, creds, what);
        return creds;
      },
      {
        clock: deps.clock,
        timeoutMs,
        holdMs: timeoutMs,
        what: `the credentials of ${what}, which another awsmfa process is getting (it may be waiting for a browser sign-in)`,
      },
    );
  },
  describe: (source) => `the IAM Identity Center credentials of profile ${source.profile}`,
};

async function fetchRole(
  deps: SsoTokenDeps,
  session: SsoSession,
  role: SsoRole,
  what: string,
): Promise<TemporaryCredentials> {
  const get = (accessToken: string) =>
    getRoleCredentials(apiDeps(deps), session.region, accessToken, role.accountId, role.roleName);
  const { token, how } = await ssoAccessToken(deps, session, { signIn: "authorization-code" });
  try {
    return await get(token.accessToken);
  } catch (e) {
    // A token the portal no longer accepts (signed out elsewhere, cut short):
    // refresh it, or sign in, and try once more.
    if (!(e instanceof SsoApiError) || e.code !== "UnauthorizedException" || how === "signed-in") {
      throw explain(e, session, what);
    }
    deps.debug(`the portal refused the SSO token of ${session.label}; getting a new one`);
    const next = await ssoAccessToken(deps, session, {
      signIn: "authorization-code",
      refused: token.accessToken,
    });
    try {
      return await get(next.token.accessToken);
    } catch (e2) {
      throw explain(e2, session, what);
    }
  }
}

function explain(e: unknown, session: SsoSession, what: string): unknown {
  if (
    e instanceof SsoApiError &&
    (e.code === "ForbiddenException" || e.code === "ResourceNotFoundException")
  ) {
    return new AwsmfaError(
      "E_SSO_NO_ACCESS",
      `IAM Identity Center does not give you ${what} (${e.code}).`,
      {
        hint: "Check sso_account_id and sso_role_name against the roles the AWS access portal shows you.",
      },
    );
  }
  return explainSsoFailure(e, session);
}

async function cache(
  deps: EngineDeps,
  key: string,
  creds: TemporaryCredentials,
  what: string,
): Promise<void> {
  try {
    await writeCachedSession(deps.store, key, creds);
  } catch (e) {
    deps.warn(
      `could not cache the credentials of ${what} in the ${deps.store.backend} store (${e instanceof Error ? e.message : String(e)}); using them this once.`,
    );
  }
}
