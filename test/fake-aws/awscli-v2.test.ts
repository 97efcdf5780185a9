// fake-aws driven by the AWS CLI v2 (Debian's awscli package, /usr/bin/aws,
// pointed at the fake with --endpoint-url).
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ADMIN_ROLE,
  ALICE,
  ALICE_MFA,
  aliceClientEnv,
  missingClient,
  run,
  withFakeAndHome,
} from "./helpers.ts";

const AWS2 = "/usr/bin/aws";

test("AWS CLI v2: STS and IAM calls succeed; MFA reuse and chaining limits fail with AWS's codes", async (t) => {
  const version = await run(AWS2, ["--version"], {
    env: { PATH: process.env.PATH, HOME: tmpdir() },
  });
  const why =
    version.status === 0 && /^aws-cli\/2\./.test(version.stdout)
      ? undefined
      : ((await missingClient(AWS2, ["--version"])) ??
        `${AWS2} is not v2: ${version.stdout.trim()}`);
  if (why !== undefined) {
    process.stderr.write(
      `!!! SKIPPED AWS CLI v2 interop: not installed (apt-get install awscli): ${why}\n`,
    );
    t.skip(`AWS CLI v2 not installed: ${why}`);
    return;
  }
  await withFakeAndHome("fake-aws-v2-", async (aws, home) => {
    const env = { ...aliceClientEnv(home), AWS_PAGER: "" };
    const aws2 = (args: string[], extraEnv: Record<string, string> = {}) =>
      run(AWS2, [...args, "--endpoint-url", aws.url, "--output", "json"], {
        env: { ...env, ...extraEnv },
      });

    const input = join(home, "gst.json");
    writeFileSync(
      input,
      JSON.stringify({ SerialNumber: ALICE_MFA, TokenCode: aws.freshTotp(ALICE_MFA) }),
      { mode: 0o600 },
    );
    const gst = await aws2(["sts", "get-session-token", "--cli-input-json", `file://${input}`]);
    assert.equal(gst.status, 0, gst.stderr);
    const c: unknown = JSON.parse(gst.stdout);
    const creds: unknown =
      typeof c === "object" && c !== null ? Reflect.get(c, "Credentials") : undefined;
    assert.ok(typeof creds === "object" && creds !== null);
    const sessionEnv = {
      AWS_ACCESS_KEY_ID: String(Reflect.get(creds, "AccessKeyId")),
      AWS_SECRET_ACCESS_KEY: String(Reflect.get(creds, "SecretAccessKey")),
      AWS_SESSION_TOKEN: String(Reflect.get(creds, "SessionToken")),
    };
    assert.match(sessionEnv.AWS_ACCESS_KEY_ID, /^ASIA/);

    const again = await aws2(["sts", "get-session-token", "--cli-input-json", `file://${input}`]);
    assert.notEqual(again.status, 0);
    assert.match(
      again.stderr,
      /\(AccessDenied\) when calling the GetSessionToken operation( \(reached max retries: 0\))?: MultiFactorAuthentication failed with invalid MFA one time pass code\./,
    );

    const role = await aws2(
      ["sts", "assume-role", "--role-arn", ADMIN_ROLE, "--role-session-name", "cli-v2"],
      sessionEnv,
    );
    assert.equal(role.status, 0, role.stderr);
    assert.match(role.stdout, /assumed-role\/admin\/cli-v2/);
    const long = await aws2(
      [
        "sts",
        "assume-role",
        "--role-arn",
        ADMIN_ROLE,
        "--role-session-name",
        "cli-v2",
        "--duration-seconds",
        "7200",
      ],
      sessionEnv,
    );
    assert.notEqual(long.status, 0);
    assert.match(
      long.stderr,
      /\(ValidationError\) when calling the AssumeRole operation( \(reached max retries: 0\))?: The requested DurationSeconds exceeds the 1 hour session limit/,
    );

    const keys = await aws2(["iam", "list-access-keys"], sessionEnv);
    assert.equal(keys.status, 0, keys.stderr);
    assert.match(keys.stdout, new RegExp(ALICE.accessKeyId));
    assert.deepEqual(
      aws.calls().map((r) => [r.service, r.action, r.ok, r.errorCode ?? ""]),
      [
        ["sts", "GetSessionToken", true, ""],
        ["sts", "GetSessionToken", false, "AccessDenied"],
        ["sts", "AssumeRole", true, ""],
        ["sts", "AssumeRole", false, "ValidationError"],
        ["iam", "ListAccessKeys", true, ""],
      ],
    );
  });
});
