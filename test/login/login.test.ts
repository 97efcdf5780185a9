/**
 * `awsmfa login` from the outside: the built bin against fake-aws, whose
 * federation endpoint turns the URL's SigninToken into a page naming the
 * session it signs in (so a test can prove the token works, not only that a
 * URL was printed).
 */
import assert from "node:assert/strict";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BOB_MFA } from "../fake-aws/helpers.ts";
import {
  ADMIN_ROLE,
  ALICE,
  ALICE_MFA,
  BOB,
  READONLY_ROLE,
  callsOf,
  onlyCall,
  startWorld,
  type World,
} from "../cli/helpers.ts";

const CONFIG = `[profile alice]
region = us-east-1
mfa_serial = ${ALICE_MFA}

[profile admin]
role_arn = ${ADMIN_ROLE}
source_profile = alice
region = eu-west-1

[profile base]

[profile ro]
role_arn = ${READONLY_ROLE}
source_profile = base
region = us-gov-west-1

[profile bob]
mfa_serial = ${BOB_MFA}
`;

let w: World;
let federation: string;
before(async () => {
  w = await startWorld();
  federation = `${w.aws.url}/federation`;
  w.sb.env.AWSMFA_FEDERATION_ENDPOINT = federation;
  await w.sb.writeConfig(CONFIG);
  await w.addAlice("alice");
  await w.addAlice("base");
  const added = await w.sb.run(["add", "bob", "--env"], {
    env: { AWS_ACCESS_KEY_ID: BOB.accessKeyId, AWS_SECRET_ACCESS_KEY: BOB.secretAccessKey },
  });
  assert.equal(added.code, 0, added.stderr);
});
after(() => w.stop());

/** Follows the sign-in URL to the fake console: the session it signs in, or the failure. */
async function follow(url: string): Promise<{ status: number; session: string; text: string }> {
  const r = await fetch(url);
  const text = await r.text();
  return { status: r.status, session: /<p id="session">([^<]*)</.exec(text)?.[1] ?? "", text };
}

describe("awsmfa login", () => {
  it("--stdout: a role profile's session (with its MFA) signs in to the region's console", async () => {
    w.aws.clearCalls();
    const r = await w.sb.run(["login", "admin", "-t", w.code(), "--stdout"]);
    assert.equal(r.code, 0, r.stderr);
    const url = new URL(r.stdout.trim());
    assert.equal(`${url.origin}${url.pathname}`, federation);
    assert.equal(url.searchParams.get("Action"), "login");
    assert.equal(url.searchParams.get("Issuer"), "awsmfa");
    assert.equal(
      url.searchParams.get("Destination"),
      "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1",
    );
    const token = url.searchParams.get("SigninToken") ?? "";
    assert.ok(token.length > 20);
    assert.ok(!r.stderr.includes(token), "the token is not on stderr");
    const signin = onlyCall(w.aws, "getSigninToken");
    assert.equal(signin.ok, true);
    assert.equal(signin.credentialType, "assumed-role");
    assert.equal(signin.mfaPresent, true, "the role session carries MFA");
    assert.equal(callsOf(w.aws, "GetFederationToken").length, 0);
    const page = await follow(url.toString());
    assert.equal(page.status, 200, page.text);
    assert.match(page.session, /^arn:aws:sts::111111111111:assumed-role\/admin\//);
  });

  it("a profile without a role goes through GetFederationToken and says it carries no MFA", async () => {
    w.aws.clearCalls();
    // alice has mfa_serial: a GetSessionToken session would be refused by
    // the federation endpoint, so no code is asked and none is sent.
    const r = await w.sb.run(["login", "alice", "--stdout", "--path", "s3/home"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /GetFederationToken/);
    assert.match(r.stderr, /NO MFA/);
    assert.match(r.stderr, /allows "\*".*own permissions/);
    assert.equal(callsOf(w.aws, "GetSessionToken").length, 0);
    const fed = onlyCall(w.aws, "GetFederationToken");
    assert.equal(fed.ok, true);
    assert.equal(fed.federatedUserName, "alice");
    assert.equal(fed.durationSeconds, 3600);
    const url = new URL(r.stdout.trim());
    assert.equal(
      url.searchParams.get("Destination"),
      "https://us-east-1.console.aws.amazon.com/s3/home?region=us-east-1",
    );
    const page = await follow(url.toString());
    assert.equal(page.status, 200, page.text);
    assert.equal(page.session, "arn:aws:sts::111111111111:federated-user/alice");
  });

  it("ForceMFA denies GetFederationToken: the message says why (no MFA there) and what to use", async () => {
    const r = await w.sb.run(["login", "bob", "--stdout"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /STS denied GetFederationToken/);
    assert.match(r.stderr, /hint: GetFederationToken carries no MFA.*role profile/);
  });

  it("-t on a profile without a role: warned about, not sent, not spent", async () => {
    w.aws.clearCalls();
    const code = w.code();
    const r = await w.sb.run(["login", "alice", "--stdout", "-t", code]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /--mfa-token is not used: .*GetFederationToken takes no MFA code/);
    assert.ok(!r.stderr.includes(code));
    assert.equal(
      w.aws.calls().filter((c) => c.mfaCodeSent === true).length,
      0,
      "no call carried the code",
    );
    assert.equal(onlyCall(w.aws, "GetFederationToken").ok, true);
  });

  it("-d sets the console session's length; --region picks the partition's console", async () => {
    w.aws.clearCalls();
    const r = await w.sb.run(["login", "ro", "-d", "2h", "--stdout", "--region", "cn-north-1"]);
    assert.equal(r.code, 0, r.stderr);
    const url = new URL(r.stdout.trim());
    assert.equal(
      url.searchParams.get("Destination"),
      "https://cn-north-1.console.amazonaws.cn/console/home?region=cn-north-1",
    );
    const page = await follow(url.toString());
    assert.equal(page.status, 200, page.text);
    assert.equal(/<p id="duration">(\d+)</.exec(page.text)?.[1], "7200");
    // And the profile's own region (us-gov-west-1) without --region:
    const gov = await w.sb.run(["login", "ro", "--stdout"]);
    assert.equal(gov.code, 0, gov.stderr);
    assert.equal(
      new URL(gov.stdout.trim()).searchParams.get("Destination"),
      "https://us-gov-west-1.console.amazonaws-us-gov.com/console/home?region=us-gov-west-1",
    );
  });

  it("opens the browser through the platform's opener, the URL as one argument, never logged (even with --debug)", async () => {
    const bin = join(w.sb.home, "opener");
    await mkdir(bin, { recursive: true });
    const argvFile = join(w.sb.home, "opener-argv.json");
    await writeFile(
      join(bin, "xdg-open"),
      `#!${process.execPath}\nrequire("node:fs").writeFileSync(${JSON.stringify(argvFile)}, JSON.stringify(process.argv.slice(2)));\n`,
    );
    await chmod(join(bin, "xdg-open"), 0o755);
    const r = await w.sb.run(["--debug", "login", "ro"], {
      env: { PATH: `${bin}:${w.sb.env.PATH ?? ""}` },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /opened the AWS console for profile 'ro'/);
    const argv: unknown = JSON.parse(await readFile(argvFile, "utf8"));
    assert.ok(Array.isArray(argv) && argv.length === 1, `one argument: ${JSON.stringify(argv)}`);
    const url = String(argv[0]);
    const token = new URL(url).searchParams.get("SigninToken") ?? "";
    assert.ok(token.length > 20);
    for (const secret of [token, "SigninToken", ALICE.secretAccessKey]) {
      assert.ok(!r.stderr.includes(secret), `stderr must not hold ${secret.slice(0, 12)}...`);
    }
    assert.equal((await follow(url)).status, 200);
  });

  it("no opener on PATH: one message saying to use --stdout, no URL anywhere", async () => {
    const empty = join(w.sb.home, "empty-bin");
    await mkdir(empty, { recursive: true });
    const r = await w.sb.run(["login", "ro"], { env: { PATH: empty } });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /could not open the browser: xdg-open is not installed/);
    assert.match(r.stderr, /--stdout/);
    assert.doesNotMatch(r.stderr, /SigninToken|federation\?/);
  });

  it("bad input: a duration outside 15m..12h, a --path with a scheme", async () => {
    const short = await w.sb.run(["login", "ro", "-d", "60", "--stdout"]);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /15m to 12h/);
    // Checked before any credentials are fetched (no session cached: one would be).
    assert.equal((await w.sb.run(["clear"])).code, 0);
    w.aws.clearCalls();
    const evil = await w.sb.run(["login", "ro", "--stdout", "--path", "https://evil.example/"]);
    assert.equal(evil.code, 2);
    assert.match(evil.stderr, /is not a console path/);
    assert.equal(evil.stdout, "");
    assert.deepEqual(
      w.aws.calls().map((c) => c.action),
      [],
    );
  });

  it("a GetSessionToken session (temporary keys in the credentials file) is refused with a hint, not a URL", async () => {
    const exported = await w.sb.run(["export", "alice", "-t", w.code(), "--format", "json"]);
    assert.equal(exported.code, 0, exported.stderr);
    const s: unknown = JSON.parse(exported.stdout);
    const get = (k: string) => String(typeof s === "object" && s !== null ? Reflect.get(s, k) : "");
    await w.sb.writeCredentials(
      `[sess]\naws_access_key_id = ${get("AccessKeyId")}\naws_secret_access_key = ${get("SecretAccessKey")}\naws_session_token = ${get("SessionToken")}\n`,
    );
    try {
      const r = await w.sb.run(["login", "sess", "--stdout"]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /refused the session \(HTTP 400/);
      assert.match(r.stderr, /role or federated-user sessions/);
      assert.ok(!r.stderr.includes(get("SessionToken")));
    } finally {
      await w.sb.writeCredentials("");
    }
  });
});
