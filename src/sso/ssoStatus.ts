/**
 * What `awsmfa list` shows about IAM Identity Center: each configured
 * session, the profiles that use it, and its cached token's expiry (read
 * from the AWS CLI's cache; the token itself is never shown).
 */
import type { AwsConfig } from "../config/types.ts";
import { configuredSessions, profilesOf } from "./ssoSettings.ts";
import { isoSeconds } from "../platform/isoSeconds.ts";
import { readToken, tokenCachePath } from "./tokenCache.ts";

export interface ListedSsoSession {
  /** The [sso-session NAME], or null for a legacy profile's start URL. */
  readonly name: string | null;
  readonly startUrl: string;
  readonly region: string;
  readonly profiles: readonly string[];
  /** The cache file (~/.aws/sso/cache/<sha1>.json). */
  readonly cacheFile: string;
  /** The token's expiry (ISO 8601), or null when not signed in or the file is unreadable. */
  readonly expiresAt: string | null;
  /** It holds a refresh token, so it is renewed without a sign-in. */
  readonly refreshable: boolean;
  readonly unreadable: boolean;
}

export async function listSsoSessions(
  config: AwsConfig,
  homedir: string,
): Promise<ListedSsoSession[]> {
  const out: ListedSsoSession[] = [];
  for (const s of configuredSessions(config)) {
    const cacheFile = tokenCachePath(homedir, s);
    let expiresAt: string | null = null;
    let refreshable = false;
    let unreadable = false;
    try {
      const t = await readToken(cacheFile);
      if (t !== undefined) {
        expiresAt = isoSeconds(t.expiresAt);
        refreshable = t.refreshToken !== undefined;
      }
    } catch {
      unreadable = true;
    }
    out.push({
      name: s.sessionName ?? null,
      startUrl: s.startUrl,
      region: s.region,
      profiles: profilesOf(config, s),
      cacheFile,
      expiresAt,
      refreshable,
      unreadable,
    });
  }
  return out;
}
