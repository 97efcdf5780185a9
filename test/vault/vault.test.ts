/**
 * Issue #14: Vault / OpenBao's AWS secrets engine as a credential source,
 * end to end against fake-aws's fake Vault (no Vault or OpenBao binary can
 * be installed here): real clients (AWS CLI v1, v2, boto3) reading
 * `credential_process = awsmfa export ...` of a vault profile, 16 parallel
 * callers making one Vault read, an iam_user lease handed out only once STS
 * knows its key and revoked by `clear`, a role chain from a vault profile,
 * `vault login`, and each Vault failure as one clear message.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { createServer } from "node:net";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { execFileSync } from "node:child_process";
import { whoAmI, whyMissing, whyNoAwsV2 } from "../helpers/awsClients.ts";
import { BIN, runProcess, type RunResult } from "../helpers/sandbox.ts";
import { hasTmux, startInTmux } from "../helpers/tmux.ts";
import {
  ALICE_ARN,
  ALICE_MFA,
  READONLY_ROLE,
  callsOf,
  field,
  parseProcessCreds,
  skipLoudly,
  startWorld,
  type World,
} from "../cli/helpers.ts";

const ROOT = "hvs.fake-root-token";
const LIMITED = "hvs.fake-only-sts-readonly";
const STS_ARN = /^arn:aws:sts::111111111111:assumed-role\/readonly\/vault-token-ro-\d+$/;

let w: World;

const vaultReads = (path: string) =>
  (w.aws.vault?.calls ?? []).filter((c) => c.path === path && c.status === 200);

before(async () => {
  w = await startWorld({
    vault: {
      account: "111111111111",
      tokens: { [ROOT]: ["*"], [LIMITED]: ["aws/sts/ro"] },
      userpass: { carol: { password: "fake-vault-password-1", paths: ["*"] } },
      roles: {
        ro: { credentialType: "assumed_role", roleArns: [READONLY_ROLE] },
        ro2: { credentialType: "assumed_role", roleArns: [READONLY_ROLE] },
        ro3: { credentialType: "assumed_role", roleArns: [READONLY_ROLE] },
        deployer: { credentialType: "iam_user", policies: ["AdministratorAccess"] },
        mfa: { credentialType: "session_token", user: "alice", mfaSerialNumber: ALICE_MFA },
      },
      unseenAttempts: 2,
    },
  });
  Object.assign(w.sb.env, { VAULT_ADDR: w.aws.url, VAULT_TOKEN: ROOT });
  await w.sb.writeConfig(`[profile vault-sts]
vault_path = aws/sts/ro
vault_ttl = 1h
credential_process = awsmfa export --format credential-process vault-sts
region = us-east-1

[profile vault-par]
vault_path = aws/sts/ro2
credential_process = awsmfa export --format credential-process vault-par

[profile vault-iam]
vault_path = aws/creds/deployer
region = us-east-1

[profile vault-chain]
role_arn = ${READONLY_ROLE}
source_profile = vault-iam

[profile vault-wrong-type]
vault_path = aws/sts/deployer

[profile vault-no-role]
vault_path = aws/sts/nosuchrole

[profile vault-no-mount]
vault_path = secret/creds/x

[profile vault-login]
vault_path = aws/sts/ro3

[profile vault-mfa]
vault_path = aws/sts/mfa
mfa_serial = ${ALICE_MFA}
`);
});
after(async () => {
  await w.stop();
});

const missing = (cmd: string, args: string[]) => whyMissing(cmd, args, w.sb.env);

function ok(r: RunResult): void {
  assert.equal(r.code, 0, `exit ${String(r.code)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

/** The client saw the Vault-issued readonly session; STS was asked only who we are. */
async function expectVaultSts(run: () => Promise<RunResult>): Promise<void> {
  w.aws.clearCalls();
  const r = await run();
  ok(r);
  assert.match(String(field(JSON.parse(r.stdout), "Arn")), STS_ARN);
  assert.deepEqual(
    w.aws.calls().map((c) => c.action),
    ["GetCallerIdentity"],
    "no GetSessionToken or AssumeRole on Vault's STS credentials",
  );
}

test("AWS CLI v1: aws sts get-caller-identity --profile <vault profile with credential_process>", async (t) => {
  const why = await missing("aws", ["--version"]);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v1 not installed: ${why}`);
    return;
  }
  await expectVaultSts(() => whoAmI.awsV1("vault-sts", w.sb.env));
});

test("AWS CLI v2 (Debian awscli): aws --endpoint-url ... sts get-caller-identity --profile <vault profile>", async (t) => {
  const why = await whyNoAwsV2(w.sb.env);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v2 not installed: ${why}`);
    return;
  }
  await expectVaultSts(() => whoAmI.awsV2("vault-sts", w.sb.env, w.aws.url));
});

test("boto3: Session(profile_name=<vault profile>) through credential_process", async (t) => {
  const why = await missing("python3", ["-c", "import boto3"]);
  if (why !== undefined) {
    skipLoudly(t, `boto3 not installed: ${why}`);
    return;
  }
  await expectVaultSts(() => whoAmI.boto3("vault-sts", w.sb.env, w.aws.url));
});

test("the clients above shared one Vault read (cached in the store until the expiry window)", () => {
  assert.equal(vaultReads("aws/sts/ro").length, 1);
});

test("16 parallel credential_process callers on a cold cache: one Vault read, identical credentials", async () => {
  const runs = await Promise.all(
    Array.from({ length: 16 }, () =>
      w.sb.run(["export", "--format", "credential-process", "vault-par"], { timeoutMs: 120_000 }),
    ),
  );
  for (const r of runs) ok(r);
  const keys = new Set(runs.map((r) => parseProcessCreds(r.stdout).AccessKeyId));
  assert.equal(keys.size, 1, "every caller got the same credentials");
  assert.equal(vaultReads("aws/sts/ro2").length, 1, "one Vault read for 16 callers");
});

test("iam_user lease: handed out once STS knows the new key; a role chain assumes from it; clear revokes it", async () => {
  w.aws.clearCalls();
  const r = await w.sb.run(["export", "--format", "credential-process", "vault-iam"], {
    timeoutMs: 120_000,
  });
  ok(r);
  const creds: unknown = JSON.parse(r.stdout);
  const keyId = String(field(creds, "AccessKeyId"));
  assert.match(keyId, /^AKIA/);
  assert.equal(field(creds, "SessionToken"), undefined, "IAM user keys carry no session token");
  // The fake refused the new key twice (IAM eventual consistency): we asked until it worked.
  const whoami = callsOf(w.aws, "GetCallerIdentity");
  assert.deepEqual(
    whoami.map((c) => c.ok),
    [false, false, true],
  );
  assert.ok(w.aws.state.keyUser(keyId) !== undefined);

  // A role chain from the vault profile: AssumeRole signed by the Vault user's key.
  w.aws.clearCalls();
  const chain = await w.sb.run(["export", "--format", "credential-process", "vault-chain"]);
  ok(chain);
  const assume = callsOf(w.aws, "AssumeRole");
  assert.equal(assume.length, 1, chain.stderr);
  assert.match(
    assume[0]?.callerArn ?? "",
    /^arn:aws:iam::111111111111:user\/vault-token-deployer-/,
  );
  assert.equal(assume[0]?.roleArn, READONLY_ROLE);
  assert.equal(callsOf(w.aws, "GetSessionToken").length, 0);

  // clear <profile> revokes the lease and says which; the key stops working.
  const cleared = await w.sb.run(["clear", "vault-iam"]);
  ok(cleared);
  const lease = [...(w.aws.vault?.leases.values() ?? [])].find((l) => l.accessKeyId === keyId);
  assert.ok(lease !== undefined);
  assert.equal(lease.revoked, true);
  assert.ok(
    cleared.stderr.includes(`Revoked Vault lease ${lease.id} (profile 'vault-iam')`),
    cleared.stderr,
  );
  assert.equal(w.aws.state.keyUser(keyId), undefined, "the IAM user's key is gone after revoke");
  const again = await w.sb.run(["export", "--format", "credential-process", "vault-iam"], {
    timeoutMs: 120_000,
  });
  ok(again);
  assert.notEqual(field(JSON.parse(again.stdout), "AccessKeyId"), keyId, "a new lease after clear");
});

test("clear of an STS vault profile revokes its lease; the STS credentials stay valid, as at AWS", async (t) => {
  const first = await w.sb.run(["export", "--format", "credential-process", "vault-sts"]);
  ok(first);
  const keyId = parseProcessCreds(first.stdout).AccessKeyId;
  const cleared = await w.sb.run(["clear", "vault-sts"]);
  ok(cleared);
  assert.match(cleared.stderr, /Revoked Vault lease aws\/creds\/ro\//);
  assert.ok(w.aws.state.sessions.has(keyId), "STS credentials outlive the lease");
  const why = await missing("aws", ["--version"]);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v1 not installed (rest of this test): ${why}`);
    return;
  }
  const creds = parseProcessCreds(first.stdout);
  const r = await runProcess("aws", ["sts", "get-caller-identity"], {
    ...w.sb.env,
    AWS_ACCESS_KEY_ID: creds.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey,
    AWS_SESSION_TOKEN: creds.SessionToken,
  });
  ok(r);
});

test("exec and write work with a vault profile", async () => {
  const r = await w.sb.run([
    "exec",
    "vault-sts",
    "--",
    "sh",
    "-c",
    'test -n "$AWS_SESSION_TOKEN" && echo "$AWSMFA_PROFILE"',
  ]);
  ok(r);
  assert.equal(r.stdout.trim(), "vault-sts");
  const written = await w.sb.run(["write", "vault-sts", "--to", "vault-sts-session"]);
  ok(written);
});

test("a session_token Vault role with an MFA device: the code goes to Vault as mfa_code, once; a wrong code is refused with Vault's reason", async () => {
  const wrong = await w.sb.run(["export", "vault-mfa", "-t", "000000"]);
  assert.equal(wrong.code, 1, wrong.stderr);
  assert.equal(wrong.stdout, "");
  assert.match(wrong.stderr, /invalid MFA one time pass code/);
  assert.ok(!wrong.stderr.includes("000000"), "the code is not echoed");

  const before = vaultReads("aws/sts/mfa").length;
  const r = await w.sb.run([
    "exec",
    "vault-mfa",
    "-t",
    w.code(),
    "--",
    "aws",
    "sts",
    "get-caller-identity",
  ]);
  ok(r);
  assert.equal(field(JSON.parse(r.stdout), "Arn"), ALICE_ARN);
  assert.equal(vaultReads("aws/sts/mfa").length, before + 1);

  // Cached: no second code, no second Vault read; a code given anyway is not spent.
  const again = await w.sb.run([
    "export",
    "vault-mfa",
    "--format",
    "credential-process",
    "-t",
    "123456",
  ]);
  ok(again);
  assert.match(again.stderr, /--mfa-token was not needed|not sent/);
  assert.equal(vaultReads("aws/sts/mfa").length, before + 1);
});

async function fails(profile: string, env: Record<string, string> = {}): Promise<RunResult> {
  const r = await w.sb.run(["export", profile], { env, timeoutMs: 60_000 });
  assert.equal(r.code, 1, `expected exit 1\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.equal(r.stdout, "", "nothing on stdout");
  assert.ok(!r.stderr.includes(ROOT) && !r.stderr.includes(LIMITED), "no token in messages");
  return r;
}

test("errors: wrong credential type for sts/, no such role, no such mount", async () => {
  const wrong = await fails("vault-wrong-type");
  assert.match(wrong.stderr, /Vault cannot give STS credentials for aws\/sts\/deployer/);
  assert.match(wrong.stderr, /hint: .*vault_path = aws\/creds\/deployer/);
  const noRole = await fails("vault-no-role");
  assert.match(noRole.stderr, /nosuchrole/);
  const noMount = await fails("vault-no-mount");
  assert.match(noMount.stderr, /Vault has no .*secret\/creds\/x/);
  assert.match(noMount.stderr, /hint: Check vault_path/);
});

test("errors: 403 names the path; an expired token says how to log in; no token at all", async () => {
  const denied = await fails("vault-wrong-type", { VAULT_TOKEN: LIMITED });
  assert.match(denied.stderr, /Vault denied .*aws\/sts\/deployer to the token from VAULT_TOKEN/);
  assert.match(denied.stderr, /hint: The token's policies must allow "aws\/sts\/deployer"/);
  const expired = await fails("vault-login", { VAULT_TOKEN: "hvs.revoked-or-expired" });
  assert.match(expired.stderr, /The Vault token from VAULT_TOKEN is expired or revoked/);
  assert.match(expired.stderr, /awsmfa vault login/);
  const none = await fails("vault-login", { VAULT_TOKEN: "" });
  assert.match(none.stderr, /No Vault token for profile vault-login/);
});

test("errors: a sealed Vault (503), an address nothing answers on", async () => {
  const vault = w.aws.vault;
  assert.ok(vault !== undefined);
  vault.sealed = true;
  try {
    const sealed = await fails("vault-login");
    assert.match(sealed.stderr, /is sealed/);
    assert.match(sealed.stderr, /hint: An operator has to unseal it/);
  } finally {
    vault.sealed = false;
  }
  // A port that was free a moment ago: connection refused, at once.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => {
        resolve(typeof a === "object" && a !== null ? a.port : 9);
      });
    });
  });
  const down = await fails("vault-login", { VAULT_ADDR: `http://127.0.0.1:${String(port)}` });
  assert.match(down.stderr, /did not answer/);
  assert.match(down.stderr, /hint: Check vault_addr/);
});

test("errors: a malformed vault_path is reported with file:line before anything is sent", async () => {
  const dir = w.sb.home;
  const config = join(dir, "bad-vault.ini");
  await writeFile(config, "[profile bad]\nvault_path = not a path\n");
  const before = w.aws.vault?.calls.length;
  const r = await fails("bad", { AWS_CONFIG_FILE: config });
  assert.match(r.stderr, /bad-vault\.ini:2: vault_path in profile 'bad' is 'not a path'/);
  assert.equal(w.aws.vault?.calls.length, before);
});

test("vault login --method userpass stores the token; a vault profile then works without VAULT_TOKEN", async () => {
  const env = { VAULT_TOKEN: "" };
  const login = await w.sb.run(["vault", "login", "--username", "carol", "--env"], {
    env: { ...env, VAULT_PASSWORD: "fake-vault-password-1" },
  });
  ok(login);
  assert.match(
    login.stderr,
    /Stored a Vault token for http:\/\/127\.0\.0\.1:\d+ in the file store/,
  );
  assert.ok(!login.stderr.includes("fake-vault-password-1"));
  const r = await w.sb.run(["export", "--format", "credential-process", "vault-login"], { env });
  ok(r);
  parseProcessCreds(r.stdout);
  const bad = await w.sb.run(["vault", "login", "--username", "carol", "--env"], {
    env: { ...env, VAULT_PASSWORD: "wrong" },
  });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /refused the username or password of carol/);
});

test("a cached vault profile loads no HTTP client (the Vault client is loaded only for a read)", async () => {
  const recorder = fileURLToPath(new URL("../cli/fixtures/recordLoads.mjs", import.meta.url));
  const args = ["export", "--format", "credential-process", "vault-par"];
  const warm = await w.sb.run(args);
  ok(warm);
  const out = join(w.sb.home, "vault-loads");
  const r = await w.sb.run(args, {
    env: { NODE_OPTIONS: `--import=${recorder}`, RECORD_LOADS: out },
  });
  ok(r);
  const builtins = (await readFile(`${out}.builtins`, "utf8"))
    .split("\n")
    .filter((l) => l.startsWith("NativeModule "))
    .map((l) => l.slice("NativeModule ".length));
  assert.ok(builtins.length > 0, "the recorder saw built-ins");
  assert.deepEqual(
    ["http", "https", "tls", "child_process"].filter((b) => builtins.includes(b)),
    [],
  );
});

test("clear while Vault is sealed: the entry is kept (its lease is still live), exit 1 says so; a later clear revokes it", async () => {
  const vault = w.aws.vault;
  assert.ok(vault !== undefined);
  ok(await w.sb.run(["export", "--format", "credential-process", "vault-login"]));
  vault.sealed = true;
  let failed: RunResult;
  try {
    failed = await w.sb.run(["clear", "vault-login"]);
  } finally {
    vault.sealed = false;
  }
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(
    failed.stderr,
    /Could not revoke Vault lease aws\/creds\/ro3\/\S+ \(profile 'vault-login'\): Vault at \S+ is sealed/,
  );
  assert.match(failed.stderr, /hint: Its cached credentials stay in the store/);
  const reads = vaultReads("aws/sts/ro3").length;
  ok(await w.sb.run(["export", "--format", "credential-process", "vault-login"]));
  assert.equal(
    vaultReads("aws/sts/ro3").length,
    reads,
    "the kept entry still serves: no new Vault read",
  );
  const retried = await w.sb.run(["clear", "vault-login"]);
  ok(retried);
  assert.match(retried.stderr, /Revoked Vault lease aws\/creds\/ro3\//);
  const lease = [...vault.leases.values()].filter((l) => l.id.startsWith("aws/creds/ro3/"));
  assert.ok(lease.length > 0 && lease.every((l) => l.revoked));
});

test("TLS: an unknown CA is refused with a hint; VAULT_CACERT trusts it; VAULT_SKIP_VERIFY works and is warned about", async (t) => {
  const dir = w.sb.home;
  const key = join(dir, "vault-tls.key");
  const cert = join(dir, "vault-tls.pem");
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
  } catch (e) {
    skipLoudly(t, `openssl could not make a test certificate: ${String(e)}`);
    return;
  }
  // An https front for the fake Vault: passes every request through.
  const target = new URL(w.aws.url);
  const front = createHttpsServer(
    { key: await readFile(key), cert: await readFile(cert) },
    (req, res) => {
      const up = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    },
  );
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  try {
    const a = front.address();
    const addr = `https://127.0.0.1:${String(typeof a === "object" && a !== null ? a.port : 0)}`;
    const config = join(dir, "tls-vault.ini");
    await writeFile(
      config,
      ["untrusted", "cacert", "skip"]
        .map((n) => `[profile tls-${n}]\nvault_path = aws/sts/ro3\nvault_addr = ${addr}\n`)
        .join("\n"),
    );
    const env = { AWS_CONFIG_FILE: config, NODE_EXTRA_CA_CERTS: "" };
    const refused = await fails("tls-untrusted", env);
    assert.match(refused.stderr, /its TLS certificate was not accepted/);
    assert.match(refused.stderr, /hint: Set VAULT_CACERT/);
    const trusted = await w.sb.run(["export", "--format", "credential-process", "tls-cacert"], {
      env: { ...env, VAULT_CACERT: cert },
    });
    ok(trusted);
    assert.ok(!trusted.stderr.includes("VAULT_SKIP_VERIFY"));
    const skipped = await w.sb.run(["export", "--format", "credential-process", "tls-skip"], {
      env: { ...env, VAULT_SKIP_VERIFY: "1" },
    });
    ok(skipped);
    assert.match(
      skipped.stderr,
      /warning: VAULT_SKIP_VERIFY is set: Vault's TLS certificate at https:\/\/127\.0\.0\.1:\d+ is not checked/,
    );
  } finally {
    front.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
  }
});

test("vault login on a terminal: the password prompt waits on screen, typing is not echoed, the token is stored", async (t) => {
  if (!hasTmux) {
    skipLoudly(t, "tmux not installed: cannot read a terminal's screen");
    return;
  }
  const vault = w.aws.vault;
  assert.ok(vault !== undefined);
  const env = { ...w.sb.env, VAULT_TOKEN: "" };
  const pane = await startInTmux(
    w.sb.home,
    [process.execPath, BIN, "vault", "login", "--method", "userpass", "--username", "carol"],
    env,
  );
  t.after(() => pane.kill());
  const question = "Vault password for carol:";
  const waiting = await pane.waitFor(
    `the prompt "${question}"`,
    (s) => s.includes(question),
    30_000,
  );
  assert.ok(waiting.includes(question), waiting);
  const logins = vault.calls.filter((c) => c.path === "auth/userpass/login/carol").length;
  await pane.type("fake-vault-password-1");
  const done = await pane.waitFor("the exit line", (s) => /\[exit \d+\]/.test(s), 60_000);
  assert.match(done, /Stored a Vault token for http:\/\/127\.0\.0\.1:\d+ in the file store/);
  assert.match(done, /\[exit 0\]/);
  assert.ok(!done.includes("fake-vault-password-1"), `the password was echoed:\n${done}`);
  assert.equal(
    vault.calls.filter((c) => c.path === "auth/userpass/login/carol").length,
    logins + 1,
  );
});

test("exec --server with a vault profile: the AWS CLI v1 reads Vault's credentials from the local server", async (t) => {
  const why = await missing("aws", ["--version"]);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v1 not installed: ${why}`);
    return;
  }
  w.aws.clearCalls();
  const r = await w.sb.run(
    ["exec", "--server", "vault-sts", "--", "aws", "sts", "get-caller-identity"],
    {
      timeoutMs: 120_000,
    },
  );
  ok(r);
  assert.match(String(field(JSON.parse(r.stdout), "Arn")), STS_ARN);
  assert.equal(callsOf(w.aws, "GetSessionToken").length, 0);
});
