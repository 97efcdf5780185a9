// fake-aws driven by the image's Python clients: boto3/botocore and the AWS
// CLI v1, pointed at the fake with AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeAws } from "../../fake-aws/server.ts";
import {
  ADMIN_ROLE,
  ALICE,
  ALICE_MFA,
  aliceClientEnv,
  missingClient,
  run,
  withFakeAndHome,
} from "./helpers.ts";

/** A field of parsed JSON, or undefined. */
function field(v: unknown, name: string): unknown {
  return typeof v === "object" && v !== null ? Reflect.get(v, name) : undefined;
}

const SCRIPT = fileURLToPath(new URL("boto3_calls.py", import.meta.url));

function clientEnv(aws: FakeAws, home: string): NodeJS.ProcessEnv {
  return {
    ...aliceClientEnv(home),
    AWS_ENDPOINT_URL_STS: aws.url,
    AWS_ENDPOINT_URL_IAM: aws.url,
    ...(process.env.PYENV_ROOT !== undefined ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
  };
}

function withClientEnv(
  fn: (aws: FakeAws, env: NodeJS.ProcessEnv, home: string) => Promise<void> | void,
) {
  return withFakeAndHome("fake-aws-py-", (aws, home) => fn(aws, clientEnv(aws, home), home));
}

test("boto3: every action succeeds and every limit reaches it with AWS's code", async (t) => {
  const why = await missingClient("python3", ["-c", "import boto3"]);
  if (why !== undefined) {
    process.stderr.write(`!!! SKIPPED boto3 interop: boto3 not installed: ${why}\n`);
    t.skip(`boto3 not installed: ${why}`);
    return;
  }
  await withClientEnv(async (aws, env) => {
    const codes = [aws.freshTotp(ALICE_MFA)];
    // The second code: the next step, so the two uses don't collide.
    codes.push(aws.totp(ALICE_MFA, Date.now() + 30_000));
    const r = await run("python3", [SCRIPT], {
      env,
      input: JSON.stringify({ serial: ALICE_MFA, codes, admin: ADMIN_ROLE }),
    });
    assert.equal(r.status, 0, r.stderr);
    const out: unknown = JSON.parse(r.stdout);
    const invalidMfa = "MultiFactorAuthentication failed with invalid MFA one time pass code.";
    assert.deepEqual(out, {
      whoami: "arn:aws:iam::111111111111:user/alice",
      session_key_prefix: "ASIA",
      reused_code: { code: "AccessDenied", message: invalidMfa, status: 403 },
      session_whoami: "arn:aws:iam::111111111111:user/alice",
      nested_gst: {
        code: "AccessDenied",
        message: "Cannot call GetSessionToken with session credentials",
        status: 403,
      },
      role_arn: "arn:aws:sts::111111111111:assumed-role/admin/boto3",
      role_source_identity: "boto3-user",
      chained_2h: {
        code: "ValidationError",
        message:
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        status: 400,
      },
      role_whoami: "arn:aws:sts::111111111111:assumed-role/admin/boto3",
      direct_12h: "arn:aws:sts::111111111111:assumed-role/admin/boto3-direct",
      fed: "arn:aws:sts::111111111111:federated-user/boto3-fed",
      get_user: "alice",
      new_key_prefix: "AKIA",
      keys_after_create: 2,
      keys_after_delete: 1,
      deleted_key_used: {
        code: "InvalidClientTokenId",
        message: "The security token included in the request is invalid.",
        status: 403,
      },
      device_seed_len: 64,
      device_png_magic: "89504e47",
      mfa_devices: [ALICE_MFA],
      bad_enable: {
        code: "InvalidAuthenticationCode",
        message: "Authentication code for device is not valid.",
        status: 403,
      },
      no_such_user: {
        code: "NoSuchEntity",
        message: "The user with name nobody cannot be found.",
        status: 404,
      },
      too_short: {
        code: "ValidationError",
        message:
          "1 validation error detected: Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
        status: 400,
      },
    });
    const roleCall = aws
      .calls()
      .find((c) => c.action === "AssumeRole" && c.roleSessionName === "boto3" && c.ok);
    assert.ok(roleCall);
    assert.deepEqual(roleCall.tags, [{ Key: "k", Value: "v" }]);
    assert.deepEqual(roleCall.transitiveTagKeys, ["k"]);
    assert.equal(roleCall.mfaPresent, true);
  });
});

test("AWS CLI v1: calls succeed and errors carry AWS's codes", async (t) => {
  const why = await missingClient("aws", ["--version"]);
  if (why !== undefined) {
    process.stderr.write(`!!! SKIPPED AWS CLI v1 interop: aws not installed: ${why}\n`);
    t.skip(`aws CLI v1 not installed: ${why}`);
    return;
  }
  await withClientEnv(async (aws, env, home) => {
    const aws1 = (args: string[]) => run("aws", [...args, "--output", "json"], { env });
    const who = await aws1(["sts", "get-caller-identity"]);
    assert.equal(who.status, 0, who.stderr);
    assert.equal(field(JSON.parse(who.stdout), "Arn"), "arn:aws:iam::111111111111:user/alice");
    // The code goes in a file, not in argv.
    const input = join(home, "gst.json");
    writeFileSync(
      input,
      JSON.stringify({
        SerialNumber: ALICE_MFA,
        TokenCode: aws.freshTotp(ALICE_MFA),
        DurationSeconds: 900,
      }),
      { mode: 0o600 },
    );
    const gst = await aws1(["sts", "get-session-token", "--cli-input-json", `file://${input}`]);
    assert.equal(gst.status, 0, gst.stderr);
    assert.match(
      String(field(field(JSON.parse(gst.stdout), "Credentials"), "AccessKeyId")),
      /^ASIA/,
    );
    const again = await aws1(["sts", "get-session-token", "--cli-input-json", `file://${input}`]);
    assert.notEqual(again.status, 0);
    assert.match(
      again.stderr,
      /An error occurred \(AccessDenied\) when calling the GetSessionToken operation: MultiFactorAuthentication failed with invalid MFA one time pass code\./,
    );
    const keys = await aws1(["iam", "list-access-keys"]);
    assert.equal(keys.status, 0, keys.stderr);
    const meta = field(JSON.parse(keys.stdout), "AccessKeyMetadata");
    assert.ok(Array.isArray(meta));
    assert.equal(field(meta[0], "AccessKeyId"), ALICE.accessKeyId);
  });
});
