/**
 * Issue 4 end to end: seed 000's ~/.aws/config exactly as written, with
 * awsmfa in place of aws-vault, alice's keys added, and the AWS CLI run
 * under `awsmfa exec`. One MFA code for every role that shares the
 * caktus-mfa session; wrong and reused codes fail clearly and cache nothing.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { RunResult } from "../helpers/sandbox.ts";
import { runProcess } from "../helpers/sandbox.ts";
import {
  ADMIN_ROLE,
  ALICE,
  ALICE_ARN,
  ALICE_MFA,
  CROSS_ROLE,
  callsOf,
  field,
  onlyCall,
  seed000Config,
  skipLoudly,
  startWorld,
  type World,
} from "./helpers.ts";

let w: World;
let awsMissing: string | undefined;
let firstCode = "";

before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(seed000Config());
  await w.addAlice("caktus");
  const probe = await runProcess("aws", ["--version"], w.sb.env).catch((e: unknown) => ({
    code: null,
    stderr: String(e),
  }));
  if (probe.code !== 0)
    awsMissing = `AWS CLI v1 ('aws' on PATH) not usable: ${probe.stderr.trim()}`;
});
after(async () => {
  await w.stop();
});

function callerArn(r: RunResult): string {
  assert.equal(r.code, 0, `exit ${String(r.code)}: ${r.stderr}`);
  const arn = field(JSON.parse(r.stdout), "Arn");
  assert.equal(typeof arn, "string", r.stdout);
  return String(arn);
}

/** Cached session items in the file store. */
async function cachedSessions(): Promise<string[]> {
  return readdir(join(w.sb.fileDir, "sessions")).catch(() => []);
}

test("exec <role> -t CODE -- aws sts get-caller-identity: the assumed role, one MFA use", async (t) => {
  if (awsMissing !== undefined) {
    skipLoudly(t, awsMissing);
    return;
  }
  w.aws.clearCalls();
  firstCode = w.code();
  const r = await w.sb.run([
    "exec",
    "admin",
    "-t",
    firstCode,
    "--",
    "aws",
    "sts",
    "get-caller-identity",
  ]);
  assert.match(callerArn(r), /^arn:aws:sts::111111111111:assumed-role\/admin\/[\w+=,.@-]+$/);
  const gst = onlyCall(w.aws, "GetSessionToken");
  assert.equal(gst.mfaCodeUsed, true);
  assert.equal(gst.serialNumber, ALICE_MFA);
  assert.equal(gst.callerArn, ALICE_ARN);
  const ar = onlyCall(w.aws, "AssumeRole");
  assert.equal(ar.roleArn, ADMIN_ROLE);
  assert.equal(ar.credentialType, "session-token", "the role is assumed with the MFA session");
  assert.equal(ar.mfaPresent, true);
  assert.ok(ar.durationSeconds !== undefined && ar.durationSeconds <= 3600, "chained: 1 h cap");
});

test("a second role sharing the MFA session needs no code (no -t, no terminal)", async (t) => {
  if (awsMissing !== undefined) {
    skipLoudly(t, awsMissing);
    return;
  }
  w.aws.clearCalls();
  const r = await w.sb.run(["exec", "cross", "--", "aws", "sts", "get-caller-identity"]);
  assert.match(callerArn(r), /^arn:aws:sts::222222222222:assumed-role\/cross-admin\/[\w+=,.@-]+$/);
  assert.equal(callsOf(w.aws, "GetSessionToken").length, 0, "the cached MFA session was reused");
  const ar = onlyCall(w.aws, "AssumeRole");
  assert.equal(ar.roleArn, CROSS_ROLE);
  assert.equal(ar.mfaPresent, true);
  assert.equal(w.aws.calls().filter((c) => c.mfaCodeSent === true).length, 0);

  // And the first role again: straight from its own cache, no STS call to get it.
  w.aws.clearCalls();
  const again = await w.sb.run(["exec", "admin", "--", "aws", "sts", "get-caller-identity"]);
  assert.match(callerArn(again), /^arn:aws:sts::111111111111:assumed-role\/admin\/[\w+=,.@-]+$/);
  assert.deepEqual(
    w.aws.calls().map((c) => c.action),
    ["GetCallerIdentity"],
  );
});

test("exec caktus-mfa -t CODE: the user's identity, on an MFA session", async (t) => {
  if (awsMissing !== undefined) {
    skipLoudly(t, awsMissing);
    return;
  }
  w.aws.clearCalls();
  const r = await w.sb.run([
    "exec",
    "caktus-mfa",
    "-t",
    w.code(),
    "--",
    "aws",
    "sts",
    "get-caller-identity",
  ]);
  assert.equal(callerArn(r), ALICE_ARN);
  const gci = onlyCall(w.aws, "GetCallerIdentity");
  assert.equal(gci.credentialType, "session-token", "not alice's long-term keys");
  assert.equal(gci.mfaPresent, true);
});

test("the seed's base profile: the AWS CLI runs its credential_process (awsmfa export --no-session)", async (t) => {
  if (awsMissing !== undefined) {
    skipLoudly(t, awsMissing);
    return;
  }
  w.aws.clearCalls();
  const r = await runProcess(
    "aws",
    ["sts", "get-caller-identity", "--profile", "caktus"],
    w.sb.env,
  );
  assert.equal(callerArn(r), ALICE_ARN);
  assert.equal(onlyCall(w.aws, "GetCallerIdentity").credentialType, "user");
  assert.equal(callsOf(w.aws, "GetSessionToken").length, 0);
});

test("a wrong code: a clear error, the command does not run, nothing is cached", async () => {
  const clear = await w.sb.run(["clear"]);
  assert.equal(clear.code, 0, clear.stderr);
  assert.deepEqual(await cachedSessions(), []);
  w.aws.clearCalls();
  const now = w.clock.now();
  const valid = new Set([-30_000, 0, 30_000].map((d) => w.aws.totp(ALICE_MFA, now + d)));
  const wrong = ["123456", "654321", "000000"].find((c) => !valid.has(c)) ?? "111111";
  const r = await w.sb.run(["exec", "admin", "-t", wrong, "--", "sh", "-c", "echo RAN"]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "", "the command did not run");
  assert.match(r.stderr, /MFA code/);
  assert.match(r.stderr, /caktus-mfa|alice/, "names the profile or device");
  assert.ok(!r.stderr.includes(wrong), "the code is not echoed");
  assert.equal(r.stderr.match(/^awsmfa: /gm)?.length, 1, "one message");
  assert.deepEqual(await cachedSessions(), []);
  assert.equal(onlyCall(w.aws, "GetSessionToken").ok, false);
  assert.equal(callsOf(w.aws, "AssumeRole").length, 0);

  const notDigits = await w.sb.run(["exec", "admin", "-t", "12ab56", "--", "sh", "-c", "echo RAN"]);
  assert.equal(notDigits.code, 1);
  assert.equal(notDigits.stdout, "");
  assert.match(notDigits.stderr, /6 digits/);
});

test("a reused code: a clear error, nothing cached", async () => {
  assert.notEqual(firstCode, "", "the first test used a code");
  w.aws.clearCalls();
  const r = await w.sb.run(["exec", "admin", "-t", firstCode, "--", "sh", "-c", "echo RAN"]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /MFA code/);
  assert.match(r.stderr, /already used|wrong/);
  assert.deepEqual(await cachedSessions(), []);
  assert.equal(onlyCall(w.aws, "GetSessionToken").mfaCodeUsed ?? false, false);

  // A fresh code then works, and the keys were never the problem.
  const ok = await w.sb.run(["export", "admin", "-t", w.code(), "--format", "json"]);
  assert.equal(ok.code, 0, ok.stderr);
  const id = field(JSON.parse(ok.stdout), "AccessKeyId");
  assert.match(String(id), /^ASIA/);
  assert.notEqual(id, ALICE.accessKeyId);
});
