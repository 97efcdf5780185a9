/**
 * The SSO OIDC service and the SSO portal, as plain HTTPS JSON (their
 * protocol is REST/JSON; no SDK client is loaded). Endpoints follow the
 * SDKs' service-specific variables: AWS_ENDPOINT_URL_SSO_OIDC and
 * AWS_ENDPOINT_URL_SSO, then AWS_ENDPOINT_URL, unless
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true.
 *
 * Errors carry the service's exception name (AuthorizationPendingException,
 * SlowDownException, ExpiredTokenException, InvalidGrantException,
 * UnauthorizedException...) from x-amzn-errortype, else from the OAuth
 * `error` in the body.
 */
import { nonBlank, type Env } from "../platform/env.ts";

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface SsoApiDeps {
  readonly env: Env;
  readonly fetch: Fetch;
  /** Bound on each call, ms. */
  readonly timeoutMs: number;
}

export class SsoApiError extends Error {
  override readonly name = "SsoApiError";
  constructor(
    /** The exception name, e.g. "InvalidGrantException"; "NetworkError" when nothing answered. */
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const OAUTH_CODES: Readonly<Record<string, string>> = {
  authorization_pending: "AuthorizationPendingException",
  slow_down: "SlowDownException",
  expired_token: "ExpiredTokenException",
  invalid_grant: "InvalidGrantException",
  invalid_client: "InvalidClientException",
  invalid_request: "InvalidRequestException",
  access_denied: "AccessDeniedException",
  unsupported_grant_type: "UnsupportedGrantTypeException",
};

function endpoint(env: Env, variable: string, host: string, region: string): string {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== "true") {
    const url = nonBlank(env[variable]) ?? nonBlank(env.AWS_ENDPOINT_URL);
    if (url !== undefined) return url.replace(/\/+$/, "");
  }
  return `https://${host}.${region}.amazonaws.com`;
}

export const oidcEndpoint = (env: Env, region: string) =>
  endpoint(env, "AWS_ENDPOINT_URL_SSO_OIDC", "oidc", region);
export const portalEndpoint = (env: Env, region: string) =>
  endpoint(env, "AWS_ENDPOINT_URL_SSO", "portal.sso", region);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

async function call(
  deps: SsoApiDeps,
  what: string,
  url: string,
  init: RequestInit,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await deps.fetch(url, {
      ...init,
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
  } catch (e) {
    const why =
      e instanceof Error && e.name === "TimeoutError"
        ? `no answer in ${String(Math.round(deps.timeoutMs / 1000))} s`
        : e instanceof Error
          ? e.message
          : String(e);
    throw new SsoApiError("NetworkError", 0, `${what} at ${new URL(url).origin} failed: ${why}`);
  }
  const body = await res.text();
  let v: unknown;
  try {
    v = body === "" ? {} : JSON.parse(body);
  } catch {
    v = undefined;
  }
  if (res.ok && isRecord(v)) return v;
  const header = res.headers.get("x-amzn-errortype")?.split(":")[0];
  const oauth = isRecord(v) && typeof v.error === "string" ? OAUTH_CODES[v.error] : undefined;
  const code = nonBlank(header) ?? oauth ?? `HTTP${String(res.status)}`;
  // Only the service's own words: the body never holds our secrets, but keep it short.
  const detail = isRecord(v) ? (v.error_description ?? v.message) : undefined;
  throw new SsoApiError(
    code,
    res.status,
    `${what} failed: ${code}${typeof detail === "string" ? ` (${detail.slice(0, 200)})` : ""}`,
  );
}

function post(deps: SsoApiDeps, what: string, url: string, input: object) {
  return call(deps, what, url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
}

function field(o: Record<string, unknown>, key: string, what: string): string {
  const v = o[key];
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "number") return String(v);
  throw new SsoApiError("InvalidResponse", 200, `${what}: the answer has no ${key}.`);
}

function seconds(o: Record<string, unknown>, key: string, what: string): number {
  const v = o[key];
  if (typeof v === "number" && Number.isFinite(v)) return v;
  throw new SsoApiError("InvalidResponse", 200, `${what}: the answer has no ${key}.`);
}

export interface Registration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly expiresAt: Date;
}

export async function registerClient(
  deps: SsoApiDeps,
  region: string,
  input: {
    clientName: string;
    scopes: readonly string[];
    /** For the authorization-code flow: the loopback redirect and the start URL. */
    redirectUris?: readonly string[];
    issuerUrl?: string;
  },
): Promise<Registration> {
  const what = "SSO OIDC RegisterClient";
  const o = await post(deps, what, `${oidcEndpoint(deps.env, region)}/client/register`, {
    clientName: input.clientName,
    clientType: "public",
    ...(input.scopes.length > 0 ? { scopes: input.scopes } : {}),
    ...(input.redirectUris === undefined
      ? {}
      : {
          grantTypes: ["authorization_code", "refresh_token"],
          redirectUris: input.redirectUris,
          issuerUrl: input.issuerUrl,
        }),
  });
  return {
    clientId: field(o, "clientId", what),
    clientSecret: field(o, "clientSecret", what),
    expiresAt: new Date(seconds(o, "clientSecretExpiresAt", what) * 1000),
  };
}

export interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete: string;
  readonly expiresIn: number;
  readonly interval: number;
}

export async function startDeviceAuthorization(
  deps: SsoApiDeps,
  region: string,
  reg: Registration,
  startUrl: string,
): Promise<DeviceAuthorization> {
  const what = "SSO OIDC StartDeviceAuthorization";
  const o = await post(deps, what, `${oidcEndpoint(deps.env, region)}/device_authorization`, {
    clientId: reg.clientId,
    clientSecret: reg.clientSecret,
    startUrl,
  });
  const complete = o.verificationUriComplete;
  return {
    deviceCode: field(o, "deviceCode", what),
    userCode: field(o, "userCode", what),
    verificationUri: field(o, "verificationUri", what),
    verificationUriComplete:
      typeof complete === "string" ? complete : field(o, "verificationUri", what),
    expiresIn: seconds(o, "expiresIn", what),
    interval: typeof o.interval === "number" ? o.interval : 5,
  };
}

export type Grant =
  | {
      readonly grantType: "urn:ietf:params:oauth:grant-type:device_code";
      readonly deviceCode: string;
    }
  | {
      readonly grantType: "authorization_code";
      readonly code: string;
      readonly redirectUri: string;
      readonly codeVerifier: string;
    }
  | { readonly grantType: "refresh_token"; readonly refreshToken: string };

export interface CreatedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly refreshToken: string | undefined;
}

export async function createToken(
  deps: SsoApiDeps,
  region: string,
  reg: Pick<Registration, "clientId" | "clientSecret">,
  grant: Grant,
): Promise<CreatedToken> {
  const what = "SSO OIDC CreateToken";
  const o = await post(deps, what, `${oidcEndpoint(deps.env, region)}/token`, {
    clientId: reg.clientId,
    clientSecret: reg.clientSecret,
    ...grant,
  });
  const refresh = o.refreshToken;
  return {
    accessToken: field(o, "accessToken", what),
    expiresIn: seconds(o, "expiresIn", what),
    refreshToken: typeof refresh === "string" && refresh !== "" ? refresh : undefined,
  };
}

export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export async function getRoleCredentials(
  deps: SsoApiDeps,
  region: string,
  accessToken: string,
  accountId: string,
  roleName: string,
): Promise<RoleCredentials> {
  const what = "SSO GetRoleCredentials";
  const q = new URLSearchParams({ role_name: roleName, account_id: accountId });
  const o = await call(
    deps,
    what,
    `${portalEndpoint(deps.env, region)}/federation/credentials?${q.toString()}`,
    {
      method: "GET",
      headers: { "x-amz-sso_bearer_token": accessToken },
    },
  );
  const rc = o.roleCredentials;
  if (!isRecord(rc))
    throw new SsoApiError("InvalidResponse", 200, `${what}: the answer has no roleCredentials.`);
  return {
    accessKeyId: field(rc, "accessKeyId", what),
    secretAccessKey: field(rc, "secretAccessKey", what),
    sessionToken: field(rc, "sessionToken", what),
    expiration: new Date(seconds(rc, "expiration", what)),
  };
}

/** Ends the portal session (best effort at logout). */
export async function portalLogout(
  deps: SsoApiDeps,
  region: string,
  accessToken: string,
): Promise<void> {
  await call(deps, "SSO Logout", `${portalEndpoint(deps.env, region)}/logout`, {
    method: "POST",
    headers: { "x-amz-sso_bearer_token": accessToken },
  });
}
