/**
 * Signing in to IAM Identity Center, as the AWS CLI v2 does:
 * - the authorization-code flow with PKCE (default): a listener on
 *   127.0.0.1 (any free port) receives the redirect; `state` must match
 *   what we sent, and the code is useless without our verifier;
 * - the device-code flow (--use-device-code, for ssh sessions): the user
 *   opens a URL anywhere and we poll CreateToken, slowing down when told.
 * The browser is opened with an argv array and the URL printed too.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../platform/clock.ts";
import type { Env } from "../platform/env.ts";
import { AwsmfaError } from "../errors.ts";
import {
  createToken,
  oidcEndpoint,
  registerClient,
  SsoApiError,
  startDeviceAuthorization,
  type SsoApiDeps,
} from "./ssoApi.ts";
import type { SsoDeps } from "./SsoDeps.ts";
import type { SsoSession } from "./ssoSettings.ts";
import { tokenFrom, type SsoToken } from "./tokenCache.ts";

export const CLIENT_NAME = "awsmfa";
const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;
const CALLBACK_PATH = "/oauth/callback";

export interface SignInContext {
  readonly clock: Clock;
  readonly env: Env;
  readonly sso: SsoDeps;
  readonly api: SsoApiDeps;
  readonly debug: (message: string) => void;
}

export async function signIn(
  ctx: SignInContext,
  session: SsoSession,
  flow: "authorization-code" | "device-code",
): Promise<SsoToken> {
  const { reg, token } =
    flow === "device-code" ? await deviceCodeFlow(ctx, session) : await authCodeFlow(ctx, session);
  return tokenFrom(ctx.clock, session, reg, token);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function showAndOpen(ctx: SignInContext, url: string, extra: string): Promise<void> {
  ctx.sso.tell(
    `Signing in to IAM Identity Center: opening your browser. If it does not open, open this URL:\n\n  ${url}\n${extra}`,
  );
  await ctx.sso.openBrowser(url).catch((e: unknown) => {
    ctx.debug(`could not open a browser: ${e instanceof Error ? e.message : String(e)}`);
  });
}

function timedOut(session: SsoSession, ms: number): AwsmfaError {
  return new AwsmfaError(
    "E_SSO_SIGN_IN_TIMEOUT",
    `Nobody finished signing in to ${session.label} within ${String(Math.round(ms / 1000))} s.`,
    {
      hint: "Run 'awsmfa sso login' again (--use-device-code when no browser can reach this machine).",
    },
  );
}

async function authCodeFlow(ctx: SignInContext, session: SsoSession) {
  const verifier = randomBytes(48).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const state = randomBytes(24).toString("base64url");
  const timeoutMs = ctx.sso.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
  const listener = await listenLoopback(state, timeoutMs, session);
  try {
    const redirectUri = `http://127.0.0.1:${String(listener.port)}${CALLBACK_PATH}`;
    const reg = await registerClient(ctx.api, session.region, {
      clientName: CLIENT_NAME,
      scopes: session.scopes,
      redirectUris: [`http://127.0.0.1${CALLBACK_PATH}`],
      issuerUrl: session.startUrl,
    });
    const q = new URLSearchParams({
      response_type: "code",
      client_id: reg.clientId,
      redirect_uri: redirectUri,
      state,
      code_challenge_method: "S256",
      code_challenge: challenge,
    });
    if (session.scopes.length > 0) q.set("scopes", session.scopes.join(" "));
    const url = `${oidcEndpoint(ctx.env, session.region)}/authorize?${q.toString()}`;
    await showAndOpen(ctx, url, "");
    const code = await listener.code;
    ctx.debug("the browser came back to the loopback listener with a code; exchanging it");
    const token = await createToken(ctx.api, session.region, reg, {
      grantType: "authorization_code",
      code,
      redirectUri,
      codeVerifier: verifier,
    });
    return { reg, token };
  } finally {
    listener.close();
  }
}

const PAGE = (text: string) =>
  `<!doctype html><meta charset="utf-8"><title>awsmfa</title><p>${text}</p>`;

/** A one-shot listener on 127.0.0.1 that resolves with the code once `state` matches. */
async function listenLoopback(
  state: string,
  timeoutMs: number,
  session: SsoSession,
): Promise<{ port: number; code: Promise<string>; close: () => void }> {
  let settle: { ok: (code: string) => void; fail: (e: Error) => void } | undefined;
  const code = new Promise<string>((ok, fail) => {
    settle = { ok, fail };
  });
  // Handled by the caller; keep node from reporting it as unhandled meanwhile.
  code.catch(() => undefined);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== CALLBACK_PATH) {
      res.writeHead(404).end();
      return;
    }
    const got = url.searchParams.get("state") ?? "";
    if (!same(got, state)) {
      // Not ours (a stale tab, or someone else's redirect): ignore it and keep waiting.
      res
        .writeHead(400, { "content-type": "text/html" })
        .end(PAGE("This sign-in does not match the one awsmfa is waiting for."));
      return;
    }
    const error = url.searchParams.get("error");
    const c = url.searchParams.get("code");
    if (error !== null || c === null || c === "") {
      res
        .writeHead(400, { "content-type": "text/html" })
        .end(PAGE("Sign-in failed. You can close this tab."));
      settle?.fail(
        new AwsmfaError(
          "E_SSO_SIGN_IN_FAILED",
          `Signing in to ${session.label} failed: ${error ?? "no code came back"}.`,
          {
            hint: "Run 'awsmfa sso login' again.",
          },
        ),
      );
      return;
    }
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(PAGE("Signed in. You can close this tab and return to the terminal."));
    settle?.ok(c);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const timer = setTimeout(() => settle?.fail(timedOut(session, timeoutMs)), timeoutMs);
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("loopback listener: no TCP address");
  return {
    port: (address satisfies AddressInfo).port,
    code,
    close: () => {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
    },
  };
}

async function deviceCodeFlow(ctx: SignInContext, session: SsoSession) {
  const reg = await registerClient(ctx.api, session.region, {
    clientName: CLIENT_NAME,
    scopes: session.scopes,
  });
  const auth = await startDeviceAuthorization(ctx.api, session.region, reg, session.startUrl);
  await showAndOpen(
    ctx,
    auth.verificationUriComplete,
    `\nThen check that the page shows this code: ${auth.userCode}\n`,
  );
  const limitMs = Math.min(
    auth.expiresIn * 1000,
    ctx.sso.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS,
  );
  const deadline = ctx.clock.now() + limitMs;
  let interval = auth.interval;
  for (;;) {
    await ctx.sso.sleep(interval * 1000);
    try {
      const token = await createToken(ctx.api, session.region, reg, {
        grantType: "urn:ietf:params:oauth:grant-type:device_code",
        deviceCode: auth.deviceCode,
      });
      return { reg, token };
    } catch (e) {
      if (!(e instanceof SsoApiError)) throw e;
      if (e.code === "SlowDownException") {
        // RFC 8628: add 5 seconds to the interval.
        interval += 5;
        ctx.debug(`SSO OIDC asked us to slow down; polling every ${String(interval)} s`);
      } else if (e.code !== "AuthorizationPendingException") {
        throw e;
      }
    }
    if (ctx.clock.now() >= deadline) throw timedOut(session, limitMs);
  }
}
