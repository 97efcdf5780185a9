// Seed 004 end to end: a role that requires MFA, `awsmfa write admin -t CODE
// --to some-profile`, then tools without awsmfa use the written profile:
// AWS CLI v1 (AWS_ENDPOINT_URL_STS), AWS CLI v2 (--endpoint-url) and the
// AWS SDK for JavaScript v3 all see the assumed role.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { fromIni } from "@aws-sdk/credential-providers";
import { runProcess } from "../helpers/sandbox.ts";
import {
  ADMIN_ROLE,
  ALICE_MFA,
  field,
  skipLoudly,
  startWorld,
  type World,
} from "../cli/helpers.ts";

const ASSUMED = "arn:aws:sts::111111111111:assumed-role/admin/admin-session";

let w: World;
before(async () => {
  w = await startWorld();
  // ~/.aws-mfa-login.toml of the seed, as a profile.
  await w.sb.writeConfig(`[profile iam-user]
region = us-east-1

[profile admin]
role_arn = ${ADMIN_ROLE}
mfa_serial = ${ALICE_MFA}
role_session_name = admin-session
source_profile = iam-user
`);
  await w.addAlice("iam-user");
  const r = await w.sb.run(["write", "admin", "-t", w.code(), "--to", "some-profile"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /export AWS_PROFILE=some-profile/);
});
after(() => w.stop());

it("AWS CLI v1: AWS_PROFILE=some-profile aws sts get-caller-identity shows the assumed role", async () => {
  const r = await runProcess("aws", ["sts", "get-caller-identity", "--output", "json"], {
    ...w.sb.env,
    AWS_PROFILE: "some-profile",
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(field(JSON.parse(r.stdout), "Arn"), ASSUMED);
});

it("AWS CLI v2 reads the same section (expiration and awsmfa_written_for are ignored)", async (t) => {
  const v = await runProcess("/usr/bin/aws", ["--version"], w.sb.env).catch(() => undefined);
  if (v?.code !== 0 || !/^aws-cli\/2\./.test(v.stdout)) {
    skipLoudly(
      t,
      "AWS CLI v2 not installed (apt-get install awscli): /usr/bin/aws --version failed",
    );
    return;
  }
  const r = await runProcess(
    "/usr/bin/aws",
    ["sts", "get-caller-identity", "--output", "json", "--endpoint-url", w.aws.url],
    { ...w.sb.env, AWS_PROFILE: "some-profile", AWS_PAGER: "" },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(field(JSON.parse(r.stdout), "Arn"), ASSUMED);
});

it("AWS SDK for JavaScript v3 (fromIni) reads the same section", async () => {
  const sts = new STSClient({
    region: "us-east-1",
    endpoint: w.aws.url,
    maxAttempts: 1,
    credentials: fromIni({
      profile: "some-profile",
      filepath: w.sb.credentialsFile,
      configFilepath: w.sb.configFile,
    }),
  });
  try {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, ASSUMED);
  } finally {
    sts.destroy();
  }
});
