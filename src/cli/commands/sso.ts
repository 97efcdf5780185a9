import { AwsmfaError, usageError } from "../../errors.ts";
import { nonBlank } from "../../platform/env.ts";
import type { AwsConfig } from "../../config/types.ts";
import { ssoRoleCacheKey } from "../../credentials/sources/ssoSource.ts";
import { portalLogout } from "../../sso/ssoApi.ts";
import {
  configuredSessions,
  ssoRoleOf,
  ssoSessionByName,
  ssoSessionOf,
  tokenCacheKey,
  usesSso,
  type SsoSession,
} from "../../sso/ssoSettings.ts";
import { apiDeps, ssoAccessToken } from "../../sso/ssoToken.ts";
import { readToken, removeToken, tokenCachePath } from "../../sso/tokenCache.ts";
import { isoSeconds } from "../../platform/isoSeconds.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { loadConfig, lockDir, openSecretStore } from "../services.ts";
import { ssoDeps } from "../ssoDeps.ts";

export const usage = `Usage: awsmfa sso login [<profile> | --sso-session NAME] [--use-device-code] [--force]
       awsmfa sso logout [<profile> | --sso-session NAME]

Signs in to IAM Identity Center for profiles with sso_session (an
[sso-session NAME] section with sso_start_url and sso_region) or with
sso_start_url and sso_region in the profile itself. The token goes into the
AWS CLI's cache (~/.aws/sso/cache/<sha1>.json, 0600), so 'aws sso login'
and 'awsmfa sso login' each use the other's token. exec, export,
credential_process and write refresh it with its refresh token before it
expires, and sign in (one browser window, however many callers wait) only
when that is no longer possible.

login    opens your browser to sign in (the URL is printed too) and waits
         for it on 127.0.0.1; a token with more than 15 minutes left, or
         one its refresh token renews, is kept without a sign-in.
  --use-device-code  sign in on any device with a code instead (for ssh
                     sessions, where this machine's browser is not yours)
  --force            sign in even when the token is still good
  --sso-session NAME the session, instead of a profile that names it

logout   removes the token from the cache, ends the portal session, and
         drops the cached role credentials of the profiles that use it.
         Without a profile or --sso-session: every session in the config.

The profile defaults to AWS_PROFILE. $BROWSER, when set, is the program
that opens the sign-in page.
`;

export const options = {
  "sso-session": { type: "string" },
  "use-device-code": { type: "boolean" },
  force: { type: "boolean", short: "f" },
} as const;

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("sso", input.argv, options);
  const [sub, ...rest] = positionals;
  if (sub !== "login" && sub !== "logout") {
    throw usageError(
      sub === undefined ? "sso: login or logout?" : `sso: unknown subcommand '${sub}'.`,
      "Run 'awsmfa sso --help' for usage.",
    );
  }
  atMostPositionals(`sso ${sub}`, rest, 1);
  if (sub === "logout" && (values["use-device-code"] === true || values.force === true)) {
    throw usageError(
      `sso logout: --${values.force === true ? "force" : "use-device-code"} is an option of 'sso login' only.`,
    );
  }
  if (rest[0] !== undefined && values["sso-session"] !== undefined) {
    throw usageError(`sso ${sub}: give a profile or --sso-session, not both.`);
  }
  const config = await loadConfig(input);
  const named =
    rest[0] ??
    (values["sso-session"] === undefined ? nonBlank(input.ctx.env.AWS_PROFILE) : undefined);
  if (sub === "login") {
    if (named === undefined && values["sso-session"] === undefined) {
      throw usageError(
        "sso login: which profile? Give its name, --sso-session NAME, or set AWS_PROFILE.",
      );
    }
    const session = sessionFor(config, named, values["sso-session"]);
    return login(input, session, values["use-device-code"] === true, values.force === true);
  }
  const sessions =
    named === undefined && values["sso-session"] === undefined
      ? configuredSessions(config)
      : [sessionFor(config, named, values["sso-session"])];
  return logout(input, config, sessions);
}

function sessionFor(
  config: AwsConfig,
  profile: string | undefined,
  sessionName: string | undefined,
): SsoSession {
  if (sessionName !== undefined) return ssoSessionByName(config, sessionName);
  const p = profile === undefined ? undefined : config.profiles.get(profile);
  if (p === undefined || profile === undefined) {
    throw new AwsmfaError(
      "E_NO_PROFILE",
      `There is no profile ${profile ?? ""} in ${config.configFileLabel ?? config.configFile}.`,
      {
        hint: "Run 'awsmfa list' for the profiles there are.",
      },
    );
  }
  if (!usesSso(p)) {
    throw new AwsmfaError(
      "E_NOT_SSO",
      `Profile ${profile} (${p.location.file}:${String(p.location.line)}) does not use IAM Identity Center (no sso_session or sso_start_url).`,
      { hint: "Give a profile with sso_session, or --sso-session NAME." },
    );
  }
  return ssoSessionOf(config, p);
}

async function login(
  input: CommandInput,
  session: SsoSession,
  deviceCode: boolean,
  force: boolean,
): Promise<number> {
  const { ctx } = input;
  const { token, how } = await ssoAccessToken(
    {
      clock: ctx.clock,
      env: ctx.env,
      homedir: ctx.homedir,
      lockDir: await lockDir(input),
      sso: ssoDeps(ctx),
      debug: input.debug,
      warn: (m) => {
        ctx.stderr(`awsmfa: warning: ${m}\n`);
      },
    },
    session,
    { signIn: deviceCode ? "device-code" : "authorization-code", force },
  );
  const until = isoSeconds(token.expiresAt);
  const said =
    how === "signed-in"
      ? `Signed in to ${session.label} until ${until}.`
      : how === "refreshed"
        ? `Refreshed the token of ${session.label} (no sign-in needed); good until ${until}.`
        : `Already signed in to ${session.label} until ${until} (--force signs in again).`;
  ctx.stderr(`${said}\n`);
  return 0;
}

async function logout(
  input: CommandInput,
  config: AwsConfig,
  sessions: readonly SsoSession[],
): Promise<number> {
  const { ctx } = input;
  const sso = ssoDeps(ctx);
  const keys = new Set(sessions.map(tokenCacheKey));
  for (const s of sessions) {
    const path = tokenCachePath(ctx.homedir, s);
    const t = await readToken(path).catch(() => undefined);
    if (t !== undefined && t.expiresAt.getTime() > ctx.clock.now()) {
      // Best effort: the token leaves this machine whatever the portal says.
      await portalLogout(apiDeps({ env: ctx.env, sso }), s.region, t.accessToken).catch(
        (e: unknown) => {
          input.debug(
            `portal logout for ${s.label}: ${e instanceof Error ? e.message : String(e)}`,
          );
        },
      );
    }
    const removed = await removeToken(path);
    ctx.stderr(removed ? `Signed out of ${s.label}.\n` : `Not signed in to ${s.label}.\n`);
  }
  // The role credentials got with those tokens: a logout means no credentials are left behind.
  const drop: string[] = [];
  for (const p of config.profiles.values()) {
    if (!usesSso(p) || p.ssoAccountId === undefined || p.ssoRoleName === undefined) continue;
    const s = ssoSessionOf(config, p);
    if (keys.has(tokenCacheKey(s))) drop.push(ssoRoleCacheKey(p.name, s, ssoRoleOf(p)));
  }
  if (drop.length > 0) {
    const store = await openSecretStore(input);
    const names = new Set((await store.list("session")).map((r) => r.name));
    for (const key of drop) if (names.has(key)) await store.remove("session", key);
  }
  return 0;
}
