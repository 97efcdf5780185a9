/**
 * The IAM Identity Center settings of a profile, as the AWS CLI v2 reads
 * them: `sso_session = NAME` naming an `[sso-session NAME]` section
 * (sso_start_url, sso_region, sso_registration_scopes), or the legacy form
 * with sso_start_url and sso_region in the profile itself. Either way the
 * profile names sso_account_id and sso_role_name for role credentials.
 *
 * The token cache key is the AWS CLI's: the sha1 of the session name, or of
 * the start URL for a legacy profile.
 */
import { createHash } from "node:crypto";
import type { AwsConfig, ProfileConfig } from "../config/types.ts";
import { AwsmfaError } from "../errors.ts";
import { nonBlank } from "../platform/env.ts";

export interface SsoSession {
  /** The [sso-session NAME] section, or undefined for a legacy profile. */
  readonly sessionName: string | undefined;
  readonly startUrl: string;
  readonly region: string;
  readonly scopes: readonly string[];
  /** How it is named in messages ("sso-session corp", "the start URL of profile dev"). */
  readonly label: string;
}

export interface SsoRole {
  readonly accountId: string;
  readonly roleName: string;
}

/** What the AWS CLI names the token cache file after. */
export function tokenCacheKey(s: SsoSession): string {
  return createHash("sha1")
    .update(s.sessionName ?? s.startUrl)
    .digest("hex");
}

/** Whether the profile signs in through IAM Identity Center. */
export function usesSso(p: ProfileConfig): boolean {
  return p.ssoSession !== undefined || p.ssoStartUrl !== undefined;
}

const at = (p: ProfileConfig) => `${p.location.file}:${String(p.location.line)}`;

export function ssoSessionByName(config: AwsConfig, name: string): SsoSession {
  const section = config.ssoSessions?.get(name);
  if (section === undefined) {
    throw new AwsmfaError(
      "E_SSO_CONFIG",
      `There is no [sso-session ${name}] in ${config.configFileLabel ?? config.configFile}.`,
      {
        hint: `Add it with sso_start_url and sso_region, or fix the name.`,
      },
    );
  }
  const startUrl = nonBlank(section.sso_start_url);
  const region = nonBlank(section.sso_region);
  const missing = [
    startUrl === undefined ? "sso_start_url" : "",
    region === undefined ? "sso_region" : "",
  ].filter(Boolean);
  if (startUrl === undefined || region === undefined) {
    throw new AwsmfaError(
      "E_SSO_CONFIG",
      `[sso-session ${name}] has no ${missing.join(" and ")}.`,
      {
        hint: `Set ${missing.join(" and ")} in [sso-session ${name}] of ${config.configFileLabel ?? config.configFile}.`,
      },
    );
  }
  const scopes = (section.sso_registration_scopes ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return {
    sessionName: name,
    startUrl,
    region,
    scopes: scopes.length > 0 ? scopes : ["sso:account:access"],
    label: `sso-session ${name}`,
  };
}

/** The session a profile signs in with. */
export function ssoSessionOf(config: AwsConfig, p: ProfileConfig): SsoSession {
  if (p.ssoSession !== undefined) {
    const s = ssoSessionByName(config, p.ssoSession);
    // The AWS CLI refuses a profile whose own start URL or region contradicts its session.
    for (const [key, own, theirs] of [
      ["sso_start_url", p.ssoStartUrl, s.startUrl],
      ["sso_region", p.ssoRegion, s.region],
    ] as const) {
      if (own !== undefined && own !== theirs) {
        throw new AwsmfaError(
          "E_SSO_CONFIG",
          `Profile ${p.name} (${at(p)}) sets ${key} = ${own}, but its [sso-session ${p.ssoSession}] says ${theirs}.`,
          { hint: `Remove ${key} from the profile; the sso-session decides.` },
        );
      }
    }
    return s;
  }
  const startUrl = p.ssoStartUrl;
  const region = p.ssoRegion;
  if (startUrl === undefined || region === undefined) {
    throw new AwsmfaError(
      "E_SSO_CONFIG",
      `Profile ${p.name} (${at(p)}) has ${startUrl === undefined ? "sso_region but no sso_start_url" : "sso_start_url but no sso_region"}.`,
      { hint: "Set both, or move them into an [sso-session NAME] section named by sso_session." },
    );
  }
  return {
    sessionName: undefined,
    startUrl,
    region,
    scopes: [],
    label: `the start URL ${startUrl} (profile ${p.name})`,
  };
}

/** The account and role a profile's credentials are for. */
export function ssoRoleOf(p: ProfileConfig): SsoRole {
  const accountId = p.ssoAccountId;
  const roleName = p.ssoRoleName;
  if (accountId === undefined || roleName === undefined) {
    const missing = [
      accountId === undefined ? "sso_account_id" : "",
      roleName === undefined ? "sso_role_name" : "",
    ].filter(Boolean);
    throw new AwsmfaError(
      "E_SSO_CONFIG",
      `Profile ${p.name} (${at(p)}) signs in with IAM Identity Center but has no ${missing.join(" and ")}.`,
      { hint: `Set ${missing.join(" and ")} in the profile (the AWS access portal lists both).` },
    );
  }
  return { accountId, roleName };
}

/** Every session the config names: the [sso-session] sections, then legacy start URLs, one per cache file. */
export function configuredSessions(config: AwsConfig): SsoSession[] {
  const found = new Map<string, SsoSession>();
  for (const name of config.ssoSessions?.keys() ?? []) {
    const s = ssoSessionByName(config, name);
    found.set(tokenCacheKey(s), s);
  }
  for (const p of config.profiles.values()) {
    if (!usesSso(p) || p.ssoSession !== undefined) continue;
    const s = ssoSessionOf(config, p);
    if (!found.has(tokenCacheKey(s))) found.set(tokenCacheKey(s), s);
  }
  return [...found.values()];
}

/** The profiles that sign in with a session. */
export function profilesOf(config: AwsConfig, session: SsoSession): string[] {
  const key = tokenCacheKey(session);
  return [...config.profiles.values()]
    .filter((p) => usesSso(p) && tokenCacheKey(ssoSessionOf(config, p)) === key)
    .map((p) => p.name);
}
