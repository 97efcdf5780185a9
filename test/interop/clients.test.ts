/**
 * Real clients consuming our output. A profile whose credential_process is
 * `awsmfa export --format credential-process admin` (awsmfa found on PATH
 * through a shim, as a user would install it), read by the AWS CLI v1, the
 * AWS CLI v2 (Debian's awscli), boto3 and the AWS SDK for JavaScript v3's
 * fromProcess; and `awsmfa exec` in front of the AWS CLI and boto3.
 * The cache is warmed once with an MFA code; every client then gets the
 * admin role without a code and without another STS credentials call.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BOTO3_WHOAMI, whoAmI, whyMissing, whyNoAwsV2 } from "../helpers/awsClients.ts";
import { runProcess, type RunResult } from "../helpers/sandbox.ts";
import {
  ADMIN_ROLE,
  ALICE_MFA,
  field,
  parseProcessCreds,
  skipLoudly,
  startWorld,
  type World,
} from "../cli/helpers.ts";

const SDK_SCRIPT = fileURLToPath(new URL("sdk-from-process.mjs", import.meta.url));
const ADMIN_ARN = /^arn:aws:sts::111111111111:assumed-role\/admin\/[\w+=,.@-]+$/;

let w: World;

before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(`[profile base]

[profile mfa]
mfa_serial = ${ALICE_MFA}
source_profile = base

[profile admin]
role_arn = ${ADMIN_ROLE}
source_profile = mfa
region = us-east-1

[profile admin-cp]
credential_process = awsmfa export --format credential-process admin
region = us-east-1
`);
  await w.addAlice("base");
  // Warm the cache: the one MFA code of this file.
  const warm = await w.sb.run([
    "export",
    "--format",
    "credential-process",
    "-t",
    w.code(),
    "admin",
  ]);
  assert.equal(warm.code, 0, warm.stderr);
  parseProcessCreds(warm.stdout);
});
after(async () => {
  await w.stop();
});

const missing = (cmd: string, args: string[]) => whyMissing(cmd, args, w.sb.env);

/** Runs a client and checks it saw the admin role, with no new STS credentials call behind it. */
async function expectAdmin(run: () => Promise<RunResult>): Promise<void> {
  w.aws.clearCalls();
  const r = await run();
  assert.equal(r.code, 0, `exit ${String(r.code)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  const arn = field(JSON.parse(r.stdout), "Arn");
  assert.match(String(arn), ADMIN_ARN);
  const actions = w.aws.calls().map((c) => c.action);
  assert.deepEqual(actions, ["GetCallerIdentity"], "credentials came from the cache");
  assert.match(w.aws.calls()[0]?.callerArn ?? "", /assumed-role\/admin\//);
  assert.ok(!r.stderr.includes("Traceback"), r.stderr);
}

test("AWS CLI v1 reads credential_process = awsmfa export ...", async (t) => {
  const why = await missing("aws", ["--version"]);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v1 not installed: ${why}`);
    return;
  }
  await expectAdmin(() => whoAmI.awsV1("admin-cp", w.sb.env));
});

test("AWS CLI v2 (Debian awscli) reads credential_process = awsmfa export ...", async (t) => {
  const why = await whyNoAwsV2(w.sb.env);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v2 not installed (apt-get install awscli): ${why}`);
    return;
  }
  await expectAdmin(() => whoAmI.awsV2("admin-cp", w.sb.env, w.aws.url));
});

test("boto3 reads credential_process = awsmfa export ...", async (t) => {
  const why = await missing("python3", ["-c", "import boto3"]);
  if (why !== undefined) {
    skipLoudly(t, `boto3 not installed: ${why}`);
    return;
  }
  await expectAdmin(() => whoAmI.boto3("admin-cp", w.sb.env, w.aws.url));
});

test("AWS SDK for JavaScript v3 fromProcess reads credential_process = awsmfa export ...", async () => {
  let expiration: unknown;
  await expectAdmin(async () => {
    const r = await runProcess(process.execPath, [SDK_SCRIPT, "admin-cp", w.aws.url], w.sb.env);
    if (r.code === 0) expiration = field(JSON.parse(r.stdout), "Expiration");
    return r;
  });
  // The SDK parsed our Expiration: it refreshes before it, instead of never.
  assert.equal(typeof expiration, "string");
  assert.ok(Date.parse(String(expiration)) > Date.now());
});

test("awsmfa exec admin -- aws sts get-caller-identity", async (t) => {
  const why = await missing("aws", ["--version"]);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v1 not installed: ${why}`);
    return;
  }
  await expectAdmin(() => w.sb.run(["exec", "admin", "--", "aws", "sts", "get-caller-identity"]));
});

test("awsmfa exec admin -- python3 (boto3 from the environment)", async (t) => {
  const why = await missing("python3", ["-c", "import boto3"]);
  if (why !== undefined) {
    skipLoudly(t, `boto3 not installed: ${why}`);
    return;
  }
  await expectAdmin(() =>
    w.sb.run(["exec", "admin", "--", "python3", "-c", BOTO3_WHOAMI], {
      env: { WHO_ENDPOINT: w.aws.url },
    }),
  );
});

test('eval "$(awsmfa export admin)" in bash, then the AWS CLI', async (t) => {
  const why = await missing("aws", ["--version"]);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v1 not installed: ${why}`);
    return;
  }
  await expectAdmin(() =>
    runProcess(
      "bash",
      ["-c", 'set -e; eval "$(awsmfa export admin)"; aws sts get-caller-identity'],
      // A profile selector left in the shell must not win over the exported keys.
      { ...w.sb.env, AWS_PROFILE: "base" },
    ),
  );
});

test("awsmfa exec admin -- node (the JS SDK's default chain from the environment)", async () => {
  const script = `
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
const sts = new STSClient({ region: process.env.AWS_REGION, endpoint: process.env.WHO_ENDPOINT, maxAttempts: 1 });
const out = await sts.send(new GetCallerIdentityCommand({}));
process.stdout.write(JSON.stringify({ Arn: out.Arn }));
`;
  await expectAdmin(() =>
    w.sb.run(["exec", "admin", "--", process.execPath, "--input-type=module", "-e", script], {
      env: { WHO_ENDPOINT: w.aws.url },
    }),
  );
});
