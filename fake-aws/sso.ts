/**
 * IAM Identity Center for fake-aws: the SSO OIDC service (RegisterClient,
 * StartDeviceAuthorization, CreateToken with the device_code,
 * authorization_code + PKCE and refresh_token grants, the /authorize page
 * and the /device approval page a browser opens) and the SSO portal
 * (GetRoleCredentials, ListAccounts, ListAccountRoles, Logout). Both are
 * REST/JSON on the fake's one port, so AWS_ENDPOINT_URL_SSO and
 * AWS_ENDPOINT_URL_SSO_OIDC both point at fake-aws. Role credentials are
 * minted in fake-aws's own STS (an assumed-role session of the world's
 * role), so they sign STS and IAM calls here.
 *
 * Errors are the documented ones, as the real services send them: the
 * exception name in x-amzn-errortype and the OAuth error in the body
 * ({"error": "authorization_pending", "error_description": ...}).
 *
 * Every user who signs in is "sso-user"; it may use every role of the world.
 */
import { createHash, randomBytes } from "node:crypto";
import type { CallRecord, FakeState } from "./state.ts";
import { same, isRecord } from "./values.ts";

export interface SsoReply {
  status: number;
  contentType: string;
  body: string;
  headers: Record<string, string>;
  record: CallRecord;
}

export interface FakeSsoOptions {
  /** Lifetime of access tokens CreateToken hands out, in seconds (default 3600). */
  tokenSeconds?: number;
  /** Seconds a device-code client must wait between polls (default 1). */
  pollIntervalSeconds?: number;
}

/** What tests may do to the fake Identity Center besides calling it. */
export interface FakeSso {
  /** Make every access token handed out so far expired (refresh tokens stay good). */
  expireAccessTokens(): void;
  /** Forget every refresh token (as when the IdP ends the session). */
  revokeRefreshTokens(): void;
  /** How many sign-ins completed in a browser (authorize or device approval). */
  signIns(): number;
}

interface Client {
  secret: string;
  expiresMs: number;
  redirectUris: string[];
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  used: boolean;
}

interface Device {
  clientId: string;
  userCode: string;
  expiresMs: number;
  approved: boolean;
  lastPollMs: number | undefined;
  used: boolean;
}

const ROLE_SECONDS = 3600;
const SESSION_NAME = "sso-user";

class Fault extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly oauth: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

const pending = () =>
  new Fault(400, "AuthorizationPendingException", "authorization_pending", "Authorization pending");
const slowDown = () => new Fault(400, "SlowDownException", "slow_down", "Polling too fast");
const invalidGrant = (why: string) => new Fault(400, "InvalidGrantException", "invalid_grant", why);
const invalidClient = (why: string) =>
  new Fault(401, "InvalidClientException", "invalid_client", why);
const invalidRequest = (why: string) =>
  new Fault(400, "InvalidRequestException", "invalid_request", why);
const expiredToken = (why: string) => new Fault(400, "ExpiredTokenException", "expired_token", why);
const unauthorized = () =>
  new Fault(401, "UnauthorizedException", undefined, "Session token not found or invalid");

function token(prefix: string): string {
  return prefix + randomBytes(24).toString("base64url");
}

function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

export class FakeIdentityCenter implements FakeSso {
  private readonly clients = new Map<string, Client>();
  private readonly grants = new Map<string, Grant>();
  private readonly devices = new Map<string, Device>();
  private readonly accessTokens = new Map<string, { expiresMs: number }>();
  private readonly refreshTokens = new Map<string, { clientId: string }>();
  private signInCount = 0;
  private readonly tokenSeconds: number;
  private readonly interval: number;

  constructor(
    private readonly state: FakeState,
    options: FakeSsoOptions = {},
  ) {
    this.tokenSeconds = options.tokenSeconds ?? 3600;
    this.interval = options.pollIntervalSeconds ?? 1;
  }

  expireAccessTokens(): void {
    for (const t of this.accessTokens.values()) t.expiresMs = 0;
  }

  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  signIns(): number {
    return this.signInCount;
  }

  /** The reply for an SSO request, or undefined when the path is not one of ours. */
  route(
    method: string,
    rawUrl: string,
    headers: Readonly<Record<string, string | string[] | undefined>>,
    body: Buffer,
    baseUrl: string,
  ): SsoReply | undefined {
    const url = new URL(rawUrl, baseUrl);
    const op = OPS[`${method} ${url.pathname}`];
    if (op === undefined) return undefined;
    const record: CallRecord = {
      time: new Date(this.state.now()).toISOString(),
      service: op.service,
      action: op.action,
      mfaPresent: false,
      ok: false,
      httpStatus: 200,
    };
    try {
      const input = method === "POST" ? parseJson(body) : {};
      const bearer = headers["x-amz-sso_bearer_token"];
      const result = op.run(this, {
        input,
        query: url.searchParams,
        bearer: typeof bearer === "string" ? bearer : undefined,
        baseUrl,
        record,
      });
      record.ok = true;
      if (typeof result === "string") {
        record.httpStatus = 302;
        return {
          status: 302,
          contentType: "text/plain",
          body: "",
          headers: { location: result },
          record,
        };
      }
      return {
        status: 200,
        contentType: "application/json",
        body: JSON.stringify(result),
        headers: {},
        record,
      };
    } catch (e) {
      const f =
        e instanceof Fault
          ? e
          : new Fault(500, "InternalServerException", "server_error", String(e));
      record.httpStatus = f.status;
      record.errorCode = f.type;
      const payload =
        f.oauth === undefined
          ? { message: f.message }
          : { error: f.oauth, error_description: f.message };
      return {
        status: f.status,
        contentType: "application/json",
        body: JSON.stringify(payload),
        headers: {
          "x-amzn-errortype": `${f.type}:http://internal.amazon.com/coral/com.amazonaws.sso/`,
        },
        record,
      };
    }
  }

  registerClient(input: Record<string, unknown>): object {
    const name = str(input, "clientName");
    const type = str(input, "clientType");
    if (name === undefined || type !== "public")
      throw invalidRequest("clientName and clientType=public are required");
    const redirectUris = Array.isArray(input.redirectUris)
      ? input.redirectUris.filter((u): u is string => typeof u === "string")
      : [];
    const now = this.state.now();
    const clientId = token("cid-");
    const secret = token("csec-");
    const expiresMs = now + 90 * 86_400_000;
    this.clients.set(clientId, { secret, expiresMs, redirectUris });
    return {
      clientId,
      clientSecret: secret,
      clientIdIssuedAt: Math.floor(now / 1000),
      clientSecretExpiresAt: Math.floor(expiresMs / 1000),
    };
  }

  private client(input: Record<string, unknown>): [string, Client] {
    const id = str(input, "clientId") ?? "";
    const c = this.clients.get(id);
    if (c === undefined || !same(c.secret, str(input, "clientSecret") ?? ""))
      throw invalidClient("Invalid client credentials");
    if (c.expiresMs <= this.state.now()) throw invalidClient("Client registration expired");
    return [id, c];
  }

  startDeviceAuthorization(input: Record<string, unknown>, baseUrl: string): object {
    const [clientId] = this.client(input);
    if (str(input, "startUrl") === undefined) throw invalidRequest("startUrl is required");
    const deviceCode = token("dev-");
    const userCode = randomBytes(4).toString("hex").toUpperCase();
    const expiresIn = 600;
    this.devices.set(deviceCode, {
      clientId,
      userCode,
      expiresMs: this.state.now() + expiresIn * 1000,
      approved: false,
      lastPollMs: undefined,
      used: false,
    });
    return {
      deviceCode,
      userCode,
      verificationUri: `${baseUrl}/device`,
      verificationUriComplete: `${baseUrl}/device?user_code=${userCode}`,
      expiresIn,
      interval: this.interval,
    };
  }

  /** The page a browser opens for the device flow: visiting it signs in and approves. */
  approveDevice(query: URLSearchParams): object {
    const code = query.get("user_code") ?? "";
    for (const d of this.devices.values()) {
      if (d.userCode === code && !d.approved) {
        d.approved = true;
        this.signInCount++;
        return { approved: true };
      }
    }
    throw invalidRequest("Unknown or already approved user code");
  }

  /** The /authorize page: signs the user in and redirects back with a code. */
  authorize(query: URLSearchParams): string {
    const clientId = query.get("client_id") ?? "";
    const c = this.clients.get(clientId);
    if (c === undefined) throw invalidClient("Unknown client_id");
    const redirectUri = query.get("redirect_uri") ?? "";
    const ok = c.redirectUris.some((u) => sameLoopback(u, redirectUri));
    if (!ok) throw invalidRequest("redirect_uri is not registered for this client");
    if (query.get("response_type") !== "code") throw invalidRequest("response_type must be code");
    if (query.get("code_challenge_method") !== "S256")
      throw invalidRequest("code_challenge_method must be S256");
    const challenge = query.get("code_challenge") ?? "";
    if (challenge === "") throw invalidRequest("code_challenge is required");
    const code = token("code-");
    this.grants.set(code, { clientId, redirectUri, challenge, used: false });
    this.signInCount++;
    const back = new URL(redirectUri);
    back.searchParams.set("code", code);
    const state = query.get("state");
    if (state !== null) back.searchParams.set("state", state);
    return back.toString();
  }

  createToken(input: Record<string, unknown>, record: CallRecord): object {
    const [clientId] = this.client(input);
    const grantType = str(input, "grantType") ?? "";
    record.grantType = grantType;
    const now = this.state.now();
    switch (grantType) {
      case "urn:ietf:params:oauth:grant-type:device_code": {
        const d = this.devices.get(str(input, "deviceCode") ?? "");
        if (d === undefined || d.clientId !== clientId || d.used)
          throw invalidGrant("Invalid device code");
        if (d.expiresMs <= now) throw expiredToken("Device code expired");
        const last = d.lastPollMs;
        d.lastPollMs = now;
        if (!d.approved) {
          if (last !== undefined && now - last < this.interval * 1000 - 50) throw slowDown();
          throw pending();
        }
        d.used = true;
        return this.issue(clientId);
      }
      case "authorization_code": {
        const code = str(input, "code") ?? "";
        const g = this.grants.get(code);
        if (g === undefined || g.clientId !== clientId || g.used)
          throw invalidGrant("Invalid authorization code");
        g.used = true;
        if (str(input, "redirectUri") !== g.redirectUri)
          throw invalidGrant("redirect_uri does not match");
        const verifier = str(input, "codeVerifier") ?? "";
        const challenge = createHash("sha256").update(verifier).digest("base64url");
        if (!same(challenge, g.challenge)) throw invalidGrant("PKCE verification failed");
        return this.issue(clientId);
      }
      case "refresh_token": {
        const rt = str(input, "refreshToken") ?? "";
        const r = this.refreshTokens.get(rt);
        if (r === undefined || r.clientId !== clientId) throw invalidGrant("Invalid refresh token");
        this.refreshTokens.delete(rt);
        return this.issue(clientId);
      }
      default:
        throw new Fault(400, "UnsupportedGrantTypeException", "unsupported_grant_type", grantType);
    }
  }

  private issue(clientId: string): object {
    const accessToken = token("aoa");
    const refreshToken = token("aor");
    this.accessTokens.set(accessToken, {
      expiresMs: this.state.now() + this.tokenSeconds * 1000,
    });
    this.refreshTokens.set(refreshToken, { clientId });
    return { accessToken, tokenType: "Bearer", expiresIn: this.tokenSeconds, refreshToken };
  }

  private signedIn(bearer: string | undefined): void {
    const t = bearer === undefined ? undefined : this.accessTokens.get(bearer);
    if (t === undefined || t.expiresMs <= this.state.now()) throw unauthorized();
  }

  getRoleCredentials(
    bearer: string | undefined,
    query: URLSearchParams,
    record: CallRecord,
  ): object {
    this.signedIn(bearer);
    const account = query.get("account_id") ?? "";
    const name = query.get("role_name") ?? "";
    const role = this.state.roles.get(`arn:aws:iam::${account}:role/${name}`);
    record.roleArn = `arn:aws:iam::${account}:role/${name}`;
    if (role === undefined) throw new Fault(403, "ForbiddenException", undefined, "No access");
    const s = this.state.newSession(
      {
        kind: "assumed-role",
        account,
        role,
        sessionName: SESSION_NAME,
        // The identity provider did the MFA.
        mfa: true,
        mfaAtMs: this.state.now(),
        sourceIdentity: undefined,
        tags: [],
        transitiveTagKeys: [],
      },
      ROLE_SECONDS,
    );
    return {
      roleCredentials: {
        accessKeyId: s.accessKeyId,
        secretAccessKey: s.secret,
        sessionToken: s.token,
        expiration: s.expiresMs,
      },
    };
  }

  listAccounts(bearer: string | undefined): object {
    this.signedIn(bearer);
    return {
      accountList: [...this.state.accounts.values()].map((a) => ({
        accountId: a.id,
        accountName: a.alias ?? a.id,
        emailAddress: `aws+${a.id}@example.com`,
      })),
    };
  }

  listAccountRoles(bearer: string | undefined, query: URLSearchParams): object {
    this.signedIn(bearer);
    const account = query.get("account_id") ?? "";
    return {
      roleList: [...this.state.roles.values()]
        .filter((r) => r.account === account)
        .map((r) => ({ roleName: r.name, accountId: account })),
    };
  }

  logout(bearer: string | undefined): object {
    this.signedIn(bearer);
    if (bearer !== undefined) this.accessTokens.delete(bearer);
    return {};
  }
}

/** RFC 8252: a loopback redirect may use any port. */
function sameLoopback(registered: string, given: string): boolean {
  try {
    const a = new URL(registered);
    const b = new URL(given);
    return a.protocol === b.protocol && a.hostname === b.hostname && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

function parseJson(body: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body.toString("utf8") || "{}");
  } catch {
    throw invalidRequest("Body is not JSON");
  }
  if (!isRecord(v)) throw invalidRequest("Body is not a JSON object");
  return v;
}

interface OpInput {
  input: Record<string, unknown>;
  query: URLSearchParams;
  bearer: string | undefined;
  baseUrl: string;
  record: CallRecord;
}

interface Op {
  service: "sso-oidc" | "sso";
  action: string;
  /** A string is a redirect (302 Location). */
  run(sso: FakeIdentityCenter, i: OpInput): object | string;
}

const OPS: Readonly<Record<string, Op>> = {
  "POST /client/register": {
    service: "sso-oidc",
    action: "RegisterClient",
    run: (s, i) => s.registerClient(i.input),
  },
  "POST /device_authorization": {
    service: "sso-oidc",
    action: "StartDeviceAuthorization",
    run: (s, i) => s.startDeviceAuthorization(i.input, i.baseUrl),
  },
  "POST /token": {
    service: "sso-oidc",
    action: "CreateToken",
    run: (s, i) => s.createToken(i.input, i.record),
  },
  "GET /authorize": {
    service: "sso-oidc",
    action: "Authorize",
    run: (s, i) => s.authorize(i.query),
  },
  "GET /device": {
    service: "sso-oidc",
    action: "ApproveDevice",
    run: (s, i) => s.approveDevice(i.query),
  },
  "GET /federation/credentials": {
    service: "sso",
    action: "GetRoleCredentials",
    run: (s, i) => s.getRoleCredentials(i.bearer, i.query, i.record),
  },
  "GET /assignment/accounts": {
    service: "sso",
    action: "ListAccounts",
    run: (s, i) => s.listAccounts(i.bearer),
  },
  "GET /assignment/roles": {
    service: "sso",
    action: "ListAccountRoles",
    run: (s, i) => s.listAccountRoles(i.bearer, i.query),
  },
  "POST /logout": { service: "sso", action: "Logout", run: (s, i) => s.logout(i.bearer) },
};
