/**
 * IAM Identity Center profiles (#15), end to end against fake-aws's SSO
 * OIDC service and portal: `awsmfa sso login` (the browser step driven by
 * browser.mjs following the redirect), the AWS CLI's token cache shared
 * with AWS CLI v2 and the SDK v3 fromSSO provider, refresh after expiry,
 * one sign-in for 16 parallel credential_process callers, the device-code
 * flow, and logout.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { access, chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AWS_V2 } from "../helpers/awsClients.ts";
import { BIN, runProcess, type RunResult } from "../helpers/sandbox.ts";
import { hasTmux, startInTmux } from "../helpers/tmux.ts";
import { callsOf, parseProcessCreds, skipLoudly, startWorld, type World } from "../cli/helpers.ts";

const ADMIN_ROLE = "arn:aws:iam::111111111111:role/admin";
const DEPLOY_ROLE = "arn:aws:iam::111111111111:role/deploy";

const CONFIG = `[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = admin
region = us-east-1

[profile deploy]
role_arn = ${DEPLOY_ROLE}
source_profile = dev

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111111111111
sso_role_name = readonly

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

let w: World;
let browserLog: string;
let dataPath: string;
const cacheFile = (key: string) =>
  join(w.sb.home, ".aws", "sso", "cache", `${createHash("sha1").update(key).digest("hex")}.json`);

async function browserOpens(): Promise<string[]> {
  try {
    return (await readFile(browserLog, "utf8")).split("\n").filter((l) => l !== "");
  } catch {
    return [];
  }
}

before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(CONFIG);
  browserLog = join(w.sb.home, "browser.log");
  const browser = join(w.binDir, "browser");
  const script = new URL("./browser.mjs", import.meta.url).pathname;
  await writeFile(browser, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`);
  await chmod(browser, 0o755);
  // AWS CLI v2 2.9 ignores AWS_ENDPOINT_URL_SSO; its endpoint rule sets
  // are data files, and AWS_DATA_PATH puts ours (one rule: fake-aws) first.
  dataPath = join(w.sb.home, "aws-data");
  const rules = JSON.stringify({
    version: "1.0",
    parameters: { Region: { builtIn: "AWS::Region", required: false, type: "String" } },
    rules: [{ conditions: [], endpoint: { url: w.aws.url }, type: "endpoint" }],
  });
  for (const service of ["sso", "sso-oidc"]) {
    const dir = join(dataPath, service, "2019-06-10");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "endpoint-rule-set-1.json"), rules);
  }
  Object.assign(w.sb.env, {
    AWS_ENDPOINT_URL_SSO: w.aws.url,
    AWS_ENDPOINT_URL_SSO_OIDC: w.aws.url,
    BROWSER: browser,
    BROWSER_LOG: browserLog,
  });
});
after(() => w.stop());

function awsV2(args: readonly string[]): Promise<RunResult> {
  return runProcess(AWS_V2, [...args, "--endpoint-url", w.aws.url, "--output", "json"], {
    ...w.sb.env,
    AWS_DATA_PATH: dataPath,
  });
}

function sdkFromSso(profile: string): Promise<RunResult> {
  const script = new URL("./sdk-from-sso.mjs", import.meta.url).pathname;
  return runProcess(process.execPath, [script, profile, w.aws.url], w.sb.env);
}

const arnOf = (r: RunResult): string => {
  assert.equal(r.code, 0, r.stderr);
  const v: unknown = JSON.parse(r.stdout);
  assert.ok(typeof v === "object" && v !== null && "Arn" in v && typeof v.Arn === "string");
  return v.Arn;
};

describe("sso login and the shared token cache", () => {
  it("signs in through the browser (PKCE, loopback redirect) and writes the AWS CLI's cache file, 0600", async () => {
    const r = await w.sb.run(["sso", "login", "dev"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\/authorize\?/, "the URL is printed too");
    assert.match(r.stderr, /Signed in to sso-session corp/);
    assert.deepEqual(await browserOpens(), ["/authorize"]);
    assert.equal(w.aws.sso.signIns(), 1);
    const file = cacheFile("corp");
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const t: unknown = JSON.parse(await readFile(file, "utf8"));
    assert.ok(typeof t === "object" && t !== null);
    for (const k of [
      "startUrl",
      "region",
      "accessToken",
      "expiresAt",
      "refreshToken",
      "clientId",
      "clientSecret",
      "registrationExpiresAt",
    ]) {
      assert.ok(k in t, `${k} in the cache file`);
    }
    assert.ok("startUrl" in t && t.startUrl === "https://corp.awsapps.com/start");
    const grants = callsOf(w.aws, "CreateToken").map((c) => c.grantType);
    assert.deepEqual(grants, ["authorization_code"]);
    // A second login while the token is good: no browser.
    const again = await w.sb.run(["sso", "login", "dev"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Already signed in/);
    assert.equal((await browserOpens()).length, 1);
  });

  it("regression (#15): an sso_session profile gives role credentials (was E_UNSUPPORTED_SSO); no GetSessionToken on them", async () => {
    w.aws.clearCalls();
    const r = await w.sb.run(["export", "--format", "credential-process", "dev"]);
    assert.equal(r.code, 0, r.stderr);
    const c = parseProcessCreds(r.stdout);
    assert.match(c.AccessKeyId, /^ASIA/);
    assert.equal(callsOf(w.aws, "GetRoleCredentials").length, 1);
    assert.equal(callsOf(w.aws, "GetSessionToken").length, 0);
    // Cached in our store: the second call makes no portal call.
    const r2 = await w.sb.run(["export", "--format", "credential-process", "dev"]);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(parseProcessCreds(r2.stdout).AccessKeyId, c.AccessKeyId);
    assert.equal(callsOf(w.aws, "GetRoleCredentials").length, 1);
    const id = await runProcess(
      AWS_V2,
      ["sts", "get-caller-identity", "--endpoint-url", w.aws.url, "--output", "json"],
      {
        ...w.sb.env,
        AWS_ACCESS_KEY_ID: c.AccessKeyId,
        AWS_SECRET_ACCESS_KEY: c.SecretAccessKey,
        AWS_SESSION_TOKEN: c.SessionToken,
      },
    );
    assert.match(arnOf(id), /:assumed-role\/admin\/sso-user$/);
  });

  it("an SSO profile is the source_profile of an AssumeRole chain", async () => {
    w.aws.clearCalls();
    const r = await w.sb.run([
      "exec",
      "deploy",
      "--",
      AWS_V2,
      "sts",
      "get-caller-identity",
      "--endpoint-url",
      w.aws.url,
      "--output",
      "json",
    ]);
    assert.match(arnOf(r), /:assumed-role\/deploy\//);
    const assume = callsOf(w.aws, "AssumeRole");
    assert.equal(assume.length, 1);
    assert.match(assume[0]?.callerArn ?? "", /assumed-role\/admin\/sso-user/);
    assert.equal(callsOf(w.aws, "GetSessionToken").length, 0);
  });

  it("write puts an SSO profile's role credentials in the credentials file for tools that cannot run awsmfa", async () => {
    const r = await w.sb.run(["write", "dev", "--to", "dev-written"]);
    assert.equal(r.code, 0, r.stderr);
    const id = await runProcess(
      "aws",
      ["sts", "get-caller-identity", "--profile", "dev-written", "--output", "json"],
      w.sb.env,
    );
    assert.match(arnOf(id), /:assumed-role\/admin\/sso-user$/);
    assert.equal((await w.sb.run(["write", "dev", "--to", "dev-written", "--remove"])).code, 0);
  });

  it("exec --server serves an SSO profile's role credentials to the command", async () => {
    const r = await w.sb.run(
      ["exec", "dev", "--server", "--", "aws", "sts", "get-caller-identity", "--output", "json"],
      { timeoutMs: 60_000 },
    );
    assert.match(arnOf(r), /:assumed-role\/admin\/sso-user$/);
  });

  it("AWS CLI v2 and the SDK v3 fromSSO provider use the token awsmfa wrote", async (t) => {
    try {
      await access(AWS_V2);
    } catch {
      skipLoudly(t, `AWS CLI v2 is not at ${AWS_V2}`);
      return;
    }
    w.aws.clearCalls();
    const v2 = await awsV2(["sts", "get-caller-identity", "--profile", "dev"]);
    assert.match(arnOf(v2), /:assumed-role\/admin\/sso-user$/);
    assert.equal(callsOf(w.aws, "GetRoleCredentials").length, 1, "v2 asked fake-aws's portal");
    const sdk = await sdkFromSso("dev");
    assert.equal(sdk.code, 0, sdk.stderr);
    assert.match(sdk.stdout, /:assumed-role\/admin\/sso-user$/m);
    assert.equal(callsOf(w.aws, "GetRoleCredentials").length, 2, "the SDK asked fake-aws's portal");
    assert.equal(w.aws.sso.signIns(), 1, "nobody signed in again");
  });

  it("after the token expires, awsmfa refreshes it with the refresh token (no browser), and AWS CLI v2 and the SDK keep working", async () => {
    const file = cacheFile("corp");
    const before: unknown = JSON.parse(await readFile(file, "utf8"));
    assert.ok(typeof before === "object" && before !== null && "accessToken" in before);
    w.aws.sso.expireAccessTokens();
    await writeFile(
      file,
      JSON.stringify({
        ...before,
        expiresAt: "2020-01-01T00:00:00Z",
        fromANewerCli: { kept: true },
      }),
      {
        mode: 0o600,
      },
    );
    // Our cached role credentials would answer without the token: drop them.
    assert.equal((await w.sb.run(["clear", "dev"])).code, 0);
    w.aws.clearCalls();
    const r = await w.sb.run(["export", "--format", "credential-process", "dev"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      callsOf(w.aws, "CreateToken").map((c) => c.grantType),
      ["refresh_token"],
    );
    assert.equal((await browserOpens()).length, 1, "no second browser sign-in");
    const after: unknown = JSON.parse(await readFile(file, "utf8"));
    assert.ok(
      typeof after === "object" && after !== null && "accessToken" in after && "expiresAt" in after,
    );
    assert.notEqual(after.accessToken, before.accessToken);
    assert.ok("fromANewerCli" in after, "a field we do not know is written back");
    assert.deepEqual(after.fromANewerCli, { kept: true });
    assert.ok(typeof after.expiresAt === "string" && Date.parse(after.expiresAt) > Date.now());
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    w.aws.clearCalls();
    const v2 = await awsV2(["sts", "get-caller-identity", "--profile", "dev"]);
    assert.match(arnOf(v2), /:assumed-role\/admin\/sso-user$/);
    const sdk = await sdkFromSso("dev");
    assert.equal(sdk.code, 0, sdk.stderr);
    assert.equal(callsOf(w.aws, "CreateToken").length, 0, "they used the refreshed token as it is");
  });

  it("16 parallel credential_process calls with no token share one browser sign-in", async () => {
    await rm(cacheFile("corp"));
    assert.equal((await w.sb.run(["clear", "dev"])).code, 0);
    await rm(browserLog, { force: true });
    const signInsBefore = w.aws.sso.signIns();
    w.aws.clearCalls();
    const runs = await Promise.all(
      Array.from({ length: 16 }, () =>
        w.sb.run(["export", "--format", "credential-process", "dev"], { timeoutMs: 120_000 }),
      ),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await browserOpens(), ["/authorize"]);
    assert.equal(w.aws.sso.signIns() - signInsBefore, 1);
    assert.equal(callsOf(w.aws, "RegisterClient").length, 1);
    assert.equal(callsOf(w.aws, "GetRoleCredentials").length, 1);
    const keys = new Set(runs.map((r) => parseProcessCreds(r.stdout).AccessKeyId));
    assert.equal(keys.size, 1);
  });

  it("the device-code flow (--use-device-code) polls until the user approves", async () => {
    await rm(browserLog, { force: true });
    w.aws.clearCalls();
    const r = await w.sb.run([
      "sso",
      "login",
      "--sso-session",
      "corp",
      "--use-device-code",
      "--force",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\/device\?user_code=/);
    assert.deepEqual(await browserOpens(), ["/device"]);
    const grants = callsOf(w.aws, "CreateToken")
      .filter((c) => c.ok)
      .map((c) => c.grantType);
    assert.deepEqual(grants, ["urn:ietf:params:oauth:grant-type:device_code"]);
  });

  it("a legacy profile (sso_start_url in the profile) uses the cache file named after the start URL", async () => {
    const r = await w.sb.run(["sso", "login", "legacy"]);
    assert.equal(r.code, 0, r.stderr);
    await access(cacheFile("https://legacy.awsapps.com/start"));
    const v2 = await awsV2(["sts", "get-caller-identity", "--profile", "legacy"]);
    assert.match(arnOf(v2), /:assumed-role\/readonly\/sso-user$/);
  });

  it("login (console) with an SSO profile: its role credentials sign in as they are, no GetFederationToken", async () => {
    w.aws.clearCalls();
    const federation = `${w.aws.url}/federation`;
    const r = await w.sb.run(["login", "dev", "--stdout"], {
      env: { AWSMFA_FEDERATION_ENDPOINT: federation },
    });
    assert.equal(r.code, 0, r.stderr);
    const url = new URL(r.stdout.trim());
    assert.equal(`${url.origin}${url.pathname}`, federation);
    assert.equal(callsOf(w.aws, "GetFederationToken").length, 0);
    const page = await fetch(url);
    const text = await page.text();
    assert.equal(page.status, 200, text);
    assert.match(/<p id="session">([^<]*)</.exec(text)?.[1] ?? "", /assumed-role\/admin\//);
  });

  it("sso logout removes the token and the cached role credentials", async () => {
    const e = await w.sb.run(["export", "--format", "credential-process", "dev"]);
    assert.equal(e.code, 0, e.stderr);
    const listed = await w.sb.run(["list", "--json"]);
    assert.match(listed.stdout, new RegExp(ADMIN_ROLE), "the cached role credentials are listed");
    const token: unknown = JSON.parse(await readFile(cacheFile("corp"), "utf8"));
    assert.ok(typeof token === "object" && token !== null && "accessToken" in token);
    assert.ok(typeof token.accessToken === "string");
    assert.ok(!listed.stdout.includes(token.accessToken), "list never shows the token");
    const json: unknown = JSON.parse(listed.stdout);
    assert.ok(typeof json === "object" && json !== null && "ssoSessions" in json);
    assert.ok(Array.isArray(json.ssoSessions));
    const corp: unknown = json.ssoSessions.find(
      (x: unknown) => typeof x === "object" && x !== null && "name" in x && x.name === "corp",
    );
    assert.ok(
      typeof corp === "object" && corp !== null && "expiresAt" in corp && "profiles" in corp,
    );
    assert.ok(typeof corp.expiresAt === "string" && Date.parse(corp.expiresAt) > Date.now());
    assert.deepEqual(corp.profiles, ["dev"]);
    const table = await w.sb.run(["list"]);
    assert.match(table.stdout, /sso-session corp: \S+ left, then renewed; profiles dev/);
    assert.match(table.stdout, /^dev\s+sso\s/m);
    const r = await w.sb.run(["sso", "logout", "dev"]);
    assert.equal(r.code, 0, r.stderr);
    await assert.rejects(access(cacheFile("corp")));
    await access(cacheFile("https://legacy.awsapps.com/start"));
    const list = await w.sb.run(["list", "--json"]);
    assert.equal(list.code, 0, list.stderr);
    assert.doesNotMatch(list.stdout, new RegExp(ADMIN_ROLE));
    assert.match((await w.sb.run(["list"])).stdout, /sso-session corp: not signed in/);
  });
});

describe("the other way round", () => {
  it("a token from AWS CLI v2's 'aws sso login' serves awsmfa, which refreshes it in the same file", async (t) => {
    try {
      await access(AWS_V2);
    } catch {
      skipLoudly(t, `AWS CLI v2 is not at ${AWS_V2}`);
      return;
    }
    await rm(cacheFile("corp"), { force: true });
    assert.equal((await w.sb.run(["clear", "dev"])).code, 0);
    await rm(browserLog, { force: true });
    const signIns = w.aws.sso.signIns();
    // v2 2.9 signs in with a device code, opening $BROWSER (browser.mjs approves it).
    const login = await runProcess(
      AWS_V2,
      ["sso", "login", "--profile", "dev"],
      {
        ...w.sb.env,
        AWS_DATA_PATH: dataPath,
      },
      { timeoutMs: 60_000 },
    );
    assert.equal(login.code, 0, login.stderr + login.stdout);
    assert.equal(w.aws.sso.signIns(), signIns + 1);
    w.aws.clearCalls();
    const r = await w.sb.run(["export", "--format", "credential-process", "dev"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(callsOf(w.aws, "CreateToken").length, 0, "v2's token used as it is");
    assert.equal(callsOf(w.aws, "RegisterClient").length, 0);
    // Expired: awsmfa refreshes v2's token with v2's client registration.
    const file = cacheFile("corp");
    const v2token: unknown = JSON.parse(await readFile(file, "utf8"));
    assert.ok(typeof v2token === "object" && v2token !== null);
    w.aws.sso.expireAccessTokens();
    await writeFile(file, JSON.stringify({ ...v2token, expiresAt: "2020-01-01T00:00:00Z" }));
    assert.equal((await w.sb.run(["clear", "dev"])).code, 0);
    const again = await w.sb.run(["export", "--format", "credential-process", "dev"]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(
      callsOf(w.aws, "CreateToken").map((c) => c.grantType),
      ["refresh_token"],
    );
    assert.equal(w.aws.sso.signIns(), signIns + 1, "no second sign-in");
    const v2 = await awsV2(["sts", "get-caller-identity", "--profile", "dev"]);
    assert.match(arnOf(v2), /:assumed-role\/admin\/sso-user$/);
  });
});

describe("bad input", () => {
  it("a token cache file that is not JSON: one message naming it, exit 1, the file left as it was", async () => {
    const file = cacheFile("corp");
    await mkdir(join(w.sb.home, ".aws", "sso", "cache"), { recursive: true });
    await writeFile(file, "{not json", { mode: 0o600 });
    assert.equal((await w.sb.run(["clear", "dev"])).code, 0);
    const r = await w.sb.run(["export", "--format", "credential-process", "dev"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, new RegExp(`${file}.*not a token`));
    assert.match(r.stderr, /awsmfa sso login/);
    assert.equal(await readFile(file, "utf8"), "{not json");
    await rm(file);
  });

  it("sso login: no profile is a usage error; a profile without sso_* says so", async () => {
    const none = await w.sb.run(["sso", "login"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /which profile/);
    await w.sb.writeConfig(CONFIG + "[profile plain]\nregion = us-east-1\n");
    const plain = await w.sb.run(["sso", "login", "plain"]);
    assert.equal(plain.code, 1);
    assert.match(
      plain.stderr,
      /Profile plain \(~\/\.aws\/config:\d+\) does not use IAM Identity Center/,
    );
    const both = await w.sb.run(["sso", "login", "dev", "--sso-session", "corp"]);
    assert.equal(both.code, 2);
    await w.sb.writeConfig(CONFIG);
  });
});

describe("on a terminal", () => {
  it("sso login shows the sign-in URL on the screen while it waits; opening it from there finishes the sign-in", async (t) => {
    if (!hasTmux) {
      skipLoudly(t, "tmux is not installed");
      return;
    }
    // A browser that opens nothing: the person copies the URL from the screen.
    const pane = await startInTmux(
      w.sb.home,
      [process.execPath, BIN, "sso", "login", "dev", "--force"],
      { ...w.sb.env, BROWSER: "/bin/true" },
      { columns: 600, rows: 20 },
    );
    try {
      const screen = await pane.waitFor(
        "the sign-in URL",
        (s) => /http:\/\/\S+\/authorize\?\S+/.test(s),
        30_000,
      );
      const url = /(http:\/\/\S+\/authorize\?\S+)/.exec(screen)?.[1];
      assert.ok(url !== undefined, screen);
      assert.doesNotMatch(screen, /Signed in/, "it waits for the browser");
      await (await fetch(url, { redirect: "follow" })).text();
      const done = await pane.waitFor("signed in", (s) => /\[exit \d+\]/.test(s), 30_000);
      assert.match(done, /Signed in to sso-session corp until \S+Z\./);
      assert.match(done, /\[exit 0\]/);
      const token: unknown = JSON.parse(await readFile(cacheFile("corp"), "utf8"));
      assert.ok(typeof token === "object" && token !== null && "accessToken" in token);
      assert.ok(
        typeof token.accessToken === "string" && !done.includes(token.accessToken),
        "no token on the screen",
      );
    } finally {
      await pane.kill();
    }
  });
});
