/**
 * The sign-in flows and the SSO API client against fake-aws's Identity
 * Center, in process: the documented error codes each call can end with,
 * PKCE and `state` checks, and that the device-code flow slows down when
 * told. The browser is a function here that drives the URL with fetch.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startFakeAws, type FakeAws } from "../../fake-aws/server.ts";
import { EXAMPLE_WORLD } from "../fake-aws/helpers.ts";
import { systemClock } from "../../src/platform/clock.ts";
import {
  createToken,
  getRoleCredentials,
  registerClient,
  SsoApiError,
  startDeviceAuthorization,
  type SsoApiDeps,
} from "../../src/sso/ssoApi.ts";
import { signIn, type SignInContext } from "../../src/sso/signIn.ts";
import type { SsoDeps } from "../../src/sso/SsoDeps.ts";
import type { SsoSession } from "../../src/sso/ssoSettings.ts";

let aws: FakeAws;
let api: SsoApiDeps;
const SESSION: SsoSession = {
  sessionName: "corp",
  startUrl: "https://corp.awsapps.com/start",
  region: "us-east-1",
  scopes: ["sso:account:access"],
  label: "sso-session corp",
};

before(async () => {
  aws = await startFakeAws({ world: EXAMPLE_WORLD, sso: { pollIntervalSeconds: 1 } });
  api = {
    env: { AWS_ENDPOINT_URL_SSO: aws.url, AWS_ENDPOINT_URL_SSO_OIDC: aws.url },
    fetch: (url, init) => fetch(url, init),
    timeoutMs: 10_000,
  };
});
after(() => aws.stop());

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SsoApiError, String(e));
    return e.code;
  }
  assert.fail("expected an SSO API error");
}

function ctx(browser: (url: string) => Promise<void>, told: string[] = []): SignInContext {
  const sso: SsoDeps = {
    fetch: api.fetch,
    openBrowser: browser,
    tell: (t) => told.push(t),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    signInTimeoutMs: 20_000,
  };
  return { clock: systemClock, env: api.env, sso, api, debug: () => undefined };
}

describe("fake-aws SSO OIDC and portal: documented errors", () => {
  it("device code: AuthorizationPending, then SlowDown when polled too fast, InvalidGrant for an unknown code", async () => {
    const reg = await registerClient(api, "us-east-1", { clientName: "t", scopes: [] });
    const dev = await startDeviceAuthorization(api, "us-east-1", reg, SESSION.startUrl);
    const grant = {
      grantType: "urn:ietf:params:oauth:grant-type:device_code",
      deviceCode: dev.deviceCode,
    } as const;
    assert.equal(
      await code(createToken(api, "us-east-1", reg, grant)),
      "AuthorizationPendingException",
    );
    assert.equal(await code(createToken(api, "us-east-1", reg, grant)), "SlowDownException");
    assert.equal(
      await code(createToken(api, "us-east-1", reg, { ...grant, deviceCode: "nope" })),
      "InvalidGrantException",
    );
  });

  it("authorization code: a wrong PKCE verifier is InvalidGrant; a refresh token is good once", async () => {
    const redirect = "http://127.0.0.1:1/oauth/callback";
    const reg = await registerClient(api, "us-east-1", {
      clientName: "t",
      scopes: [],
      redirectUris: ["http://127.0.0.1/oauth/callback"],
      issuerUrl: SESSION.startUrl,
    });
    const authorize = async (challenge: string) => {
      const q = new URLSearchParams({
        response_type: "code",
        client_id: reg.clientId,
        redirect_uri: redirect,
        state: "s",
        code_challenge_method: "S256",
        code_challenge: challenge,
      });
      const res = await fetch(`${aws.url}/authorize?${q.toString()}`, { redirect: "manual" });
      assert.equal(res.status, 302);
      const back = new URL(res.headers.get("location") ?? "");
      assert.equal(back.searchParams.get("state"), "s");
      return back.searchParams.get("code") ?? "";
    };
    const { createHash } = await import("node:crypto");
    const verifier = "v".repeat(50);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const bad = await authorize(challenge);
    assert.equal(
      await code(
        createToken(api, "us-east-1", reg, {
          grantType: "authorization_code",
          code: bad,
          redirectUri: redirect,
          codeVerifier: "w".repeat(50),
        }),
      ),
      "InvalidGrantException",
    );
    const good = await authorize(challenge);
    const t = await createToken(api, "us-east-1", reg, {
      grantType: "authorization_code",
      code: good,
      redirectUri: redirect,
      codeVerifier: verifier,
    });
    assert.ok(t.refreshToken !== undefined);
    const refresh = { grantType: "refresh_token", refreshToken: t.refreshToken } as const;
    await createToken(api, "us-east-1", reg, refresh);
    assert.equal(await code(createToken(api, "us-east-1", reg, refresh)), "InvalidGrantException");
    // The portal: a good token gives credentials, an expired one is Unauthorized.
    const creds = await getRoleCredentials(
      api,
      "us-east-1",
      t.accessToken,
      "111111111111",
      "readonly",
    );
    assert.match(creds.accessKeyId, /^ASIA/);
    aws.sso.expireAccessTokens();
    assert.equal(
      await code(getRoleCredentials(api, "us-east-1", t.accessToken, "111111111111", "readonly")),
      "UnauthorizedException",
    );
  });
});

describe("signIn", () => {
  it("ignores a redirect whose state is not ours, and signs in with the one that is", async () => {
    const told: string[] = [];
    let strayStatus = 0;
    const token = await signIn(
      ctx(async (url) => {
        const u = new URL(url);
        const redirect = u.searchParams.get("redirect_uri") ?? "";
        // Someone else's redirect (a forged or stale one) reaches the listener first.
        const stray = await fetch(`${redirect}?code=forged&state=not-ours`);
        strayStatus = stray.status;
        await stray.text();
        const res = await fetch(url, { redirect: "follow" });
        await res.text();
      }, told),
      SESSION,
      "authorization-code",
    );
    assert.equal(strayStatus, 400);
    assert.match(token.accessToken, /^aoa/);
    assert.ok(token.refreshToken !== undefined);
    assert.match(told.join(""), /\/authorize\?/, "the URL is shown");
    assert.doesNotMatch(
      told.join(""),
      new RegExp(token.accessToken),
      "no token in what the user is told",
    );
  });

  it("a browser that cannot start is not fatal: the printed URL works", async () => {
    const told: string[] = [];
    const c = ctx(() => Promise.reject(new Error("no browser")), told);
    const pending = signIn(c, SESSION, "device-code");
    // The user opens the printed URL elsewhere.
    const started = Date.now();
    let url: string | undefined;
    while (url === undefined && Date.now() - started < 10_000) {
      url = /(http:\/\/\S+\/device\?user_code=\w+)/.exec(told.join(""))?.[1];
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(url !== undefined, told.join(""));
    await (await fetch(url)).text();
    const token = await pending;
    assert.match(token.accessToken, /^aoa/);
  });
});
