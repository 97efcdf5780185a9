/**
 * The HTTP front of fake-aws: one port for STS, IAM (told apart by the
 * service in the SigV4 credential scope) and the sign-in federation endpoint.
 *
 *   const aws = await startFakeAws({ world: "fake-aws/worlds/example.json" });
 *   // AWS_ENDPOINT_URL_STS = AWS_ENDPOINT_URL_IAM = aws.url
 *   aws.totp("arn:aws:iam::111111111111:mfa/alice"); aws.calls(); await aws.stop();
 */
import { appendFileSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { systemClock } from "./clock.ts";
import type { FakeClock } from "./clock.ts";
import { notAuthorized } from "./authz.ts";
import { AwsFault, faults } from "./errors.ts";
import { federation } from "./federation.ts";
import { FakeIdentityCenter, type FakeSso, type FakeSsoOptions } from "./sso.ts";
import { iamActions } from "./iam.ts";
import { Params } from "./params.ts";
import { checkRequestTime, parseAuth, parseQuery, verifySignature } from "./sigv4.ts";
import type { SignedRequest } from "./sigv4.ts";
import { FakeState, principalArn, principalMfa } from "./state.ts";
import type { CallRecord, Principal } from "./state.ts";
import { stsActions } from "./sts.ts";
import type { ActionContext } from "./sts.ts";
import { fakeVault, type FakeVault, type FakeVaultOptions } from "./vault.ts";
import { loadWorld, parseWorld } from "./world.ts";
import type { World } from "./world.ts";
import { errorXml, successXml } from "./xml.ts";
import type { ServiceName } from "./xml.ts";

export interface FakeAwsOptions {
  /** A world object, or the path of a world JSON file. */
  world: World | string;
  /** 0 (default): any free port. */
  port?: number;
  /** Default: the system clock. Inject a manualClock() to move time in tests. */
  clock?: FakeClock;
  /** Append one JSON line per request here (no secrets, no TOTP codes). */
  logFile?: string;
  /**
   * Sessions live at most this long, whatever was asked (AWS's floor is
   * 900 s): for tests of clients that must refresh, in seconds of real time.
   * The asked-for duration is still checked and recorded as AWS does.
   */
  maxSessionSeconds?: number;
  /** Also serve a fake Vault / OpenBao under /v1/ (vault.ts). */
  vault?: FakeVaultOptions;
  /** IAM Identity Center (SSO OIDC and portal) settings; see sso.ts. */
  sso?: FakeSsoOptions;
}

export interface FakeAws {
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL_STS / _IAM and the federation endpoint (URL/federation). */
  url: string;
  port: number;
  world: World;
  /** The live state (sessions, devices, keys), for assertions. */
  state: FakeState;
  /** A copy of the call log so far, oldest first. */
  calls(): CallRecord[];
  clearCalls(): void;
  /** The code the device shows now (or at `atMs`) on the fake's clock. */
  totp(serial: string, atMs?: number): string;
  /** A code that will be accepted now (the current step, else the next); throws when both are spent. */
  freshTotp(serial: string): string;
  /** The fake Vault, when `vault` was given. */
  vault: FakeVault | undefined;
  /** The fake IAM Identity Center (sso.ts). */
  sso: FakeSso;
  stop(): Promise<void>;
}

const STS_VERSION = "2011-06-15";
const IAM_VERSION = "2010-05-08";

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

/** Who signed: a long-term key, or a live session. Throws AWS's errors otherwise. */
function authenticate(
  state: FakeState,
  req: SignedRequest,
): { principal: Principal; service: string } {
  const auth = parseAuth(req);
  if (auth === undefined) throw faults.missingAuth();
  const now = state.now();
  const user = state.keyUser(auth.accessKeyId);
  if (user !== undefined) {
    const key = user.keys.get(auth.accessKeyId);
    if (key === undefined || key.status !== "Active") throw faults.invalidClientTokenId();
    const unseen = state.unseenKeys.get(auth.accessKeyId) ?? 0;
    if (unseen > 0) {
      state.unseenKeys.set(auth.accessKeyId, unseen - 1);
      throw faults.invalidClientTokenId();
    }
    checkRequestTime(auth, now);
    verifySignature(req, auth, key.secret);
    // A session token sent with long-term keys makes AWS reject the request.
    if (auth.securityToken !== undefined && auth.securityToken !== "")
      throw faults.invalidClientTokenId();
    return { principal: { kind: "user", account: user.account, user }, service: auth.service };
  }
  const session = state.sessions.get(auth.accessKeyId);
  if (session === undefined) throw faults.invalidClientTokenId();
  checkRequestTime(auth, now);
  verifySignature(req, auth, session.secret);
  if (auth.securityToken !== session.token) throw faults.invalidClientTokenId();
  if (session.expiresMs <= now) throw faults.expiredToken();
  return { principal: session.principal, service: auth.service };
}

/** What each kind of temporary credentials may not call, before any policy is read. */
function checkCredentialScope(p: Principal, service: ServiceName, action: string): void {
  if (p.kind === "session-token" && service === "iam" && !p.mfa) {
    // AWS: GetSessionToken credentials without MFA cannot call IAM at all.
    throw faults.invalidClientTokenId();
  }
  if (p.kind === "federated" && action !== "GetCallerIdentity") {
    throw notAuthorized(p, `${service}:${action}`, "*");
  }
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const world =
    typeof options.world === "string" ? loadWorld(options.world) : parseWorld(options.world);
  const clock = options.clock ?? systemClock;
  const state = new FakeState(world, clock, options.maxSessionSeconds);
  const logFile = options.logFile;
  const vault = options.vault === undefined ? undefined : fakeVault(state, options.vault);
  const sso = new FakeIdentityCenter(state, options.sso);

  const log = (rec: CallRecord): void => {
    state.calls.push(rec);
    if (logFile !== undefined) appendFileSync(logFile, JSON.stringify(rec) + "\n", { mode: 0o600 });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const rawUrl = req.url ?? "/";
    const requestId = randomUUID();
    const send = (status: number, contentType: string, text: string): void => {
      res.writeHead(status, {
        "content-type": contentType,
        "x-amzn-requestid": requestId,
        date: new Date(clock.now()).toUTCString(),
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    };

    const path = rawUrl.split("?")[0] ?? "/";
    if (vault !== undefined && path.startsWith("/v1/")) {
      const r = vault.handle(req.method ?? "GET", rawUrl, req.headers, body);
      send(r.status, "application/json", r.json === undefined ? "" : JSON.stringify(r.json));
      return;
    }
    const ssoReply = sso.route(
      req.method ?? "GET",
      rawUrl,
      req.headers,
      body,
      `http://${req.headers.host ?? "127.0.0.1"}`,
    );
    if (ssoReply !== undefined) {
      log(ssoReply.record);
      for (const [k, v] of Object.entries(ssoReply.headers)) res.setHeader(k, v);
      send(ssoReply.status, ssoReply.contentType, ssoReply.body);
      return;
    }
    if (path === "/federation") {
      const reply = federation(state, new URL(rawUrl, "http://127.0.0.1").searchParams);
      log(reply.record);
      send(reply.status, reply.contentType, reply.body);
      return;
    }

    const query = rawUrl.includes("?") ? rawUrl.slice(rawUrl.indexOf("?") + 1) : "";
    const contentType = (req.headers["content-type"] ?? "").toLowerCase();
    const pairs = parseQuery(query).filter(([k]) => !k.startsWith("X-Amz-"));
    if (req.method === "POST" && contentType.startsWith("application/x-www-form-urlencoded")) {
      pairs.push(...parseQuery(body.toString("utf8")));
    }
    const params = new Params(pairs);
    const action = params.get("Action") ?? "";
    const record: CallRecord = {
      time: new Date(clock.now()).toISOString(),
      service: "sts",
      action,
      mfaPresent: false,
      ok: false,
      httpStatus: 200,
    };
    let service: ServiceName = "sts";
    try {
      const signed: SignedRequest = {
        method: req.method ?? "GET",
        rawUrl,
        rawHeaders: req.rawHeaders,
        body,
      };
      const who = authenticate(state, signed);
      const p = who.principal;
      Object.assign(record, {
        callerArn: principalArn(p),
        credentialType: p.kind,
        mfaPresent: principalMfa(p),
      });
      if (p.kind === "assumed-role") {
        if (p.sourceIdentity !== undefined) record.sessionSourceIdentity = p.sourceIdentity;
        if (p.tags.length > 0) record.sessionTags = p.tags;
      }
      if (who.service !== "sts" && who.service !== "iam") {
        throw new AwsFault(400, "InvalidAction", `fake-aws serves sts and iam, not ${who.service}`);
      }
      service = who.service;
      record.service = service;
      const version = service === "sts" ? STS_VERSION : IAM_VERSION;
      if (action === "") throw faults.missingParameter("Action");
      const handler = (service === "sts" ? stsActions : iamActions)[action];
      if (handler === undefined) throw faults.invalidAction(action, version);
      checkCredentialScope(p, service, action);
      const ctx: ActionContext = { state, principal: p, params, record };
      const result = handler(ctx);
      record.ok = true;
      send(200, "text/xml", successXml(service, action, result, requestId));
    } catch (e) {
      const fault =
        e instanceof AwsFault
          ? e
          : faults.serviceFailure(
              `fake-aws internal error: ${e instanceof Error ? e.message : String(e)}`,
            );
      record.httpStatus = fault.status;
      record.errorCode = fault.code;
      send(
        fault.status,
        "text/xml",
        errorXml(service, fault.type, fault.code, fault.message, requestId),
      );
    } finally {
      log(record);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.destroy(e instanceof Error ? e : new Error(String(e)));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake-aws: no TCP address");
  const port = (address satisfies AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    world,
    state,
    calls: () => state.calls.map((c) => ({ ...c })),
    clearCalls: () => {
      state.calls.length = 0;
    },
    totp: (serial, atMs) => state.totp(serial, atMs),
    freshTotp: (serial) => state.freshTotp(serial),
    vault,
    sso,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
