/**
 * `awsmfa exec --server` / `--ec2-server` from the outside: real clients
 * (AWS CLI v1 and v2, boto3, the JS SDK v3's default chain) run as the
 * child and get their credentials from the server, never from the
 * environment; `/role-arn/<ARN>`; `--lazy`; AWS_VAULT; and the refusals
 * (token, Host, Origin) seen from a child's raw requests.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { AWS_V2, whyMissing, whyNoAwsV2 } from "../helpers/awsClients.ts";
import type { RunResult } from "../helpers/sandbox.ts";
import {
  ADMIN_ROLE,
  ALICE_MFA,
  READONLY_ROLE,
  callsOf,
  field,
  skipLoudly,
  startWorld,
  type World,
} from "../cli/helpers.ts";

const PROBE = fileURLToPath(new URL("fixtures/probe.mjs", import.meta.url));
const SDK = fileURLToPath(new URL("fixtures/sdkDefaultChain.mjs", import.meta.url));
const ADMIN_ARN = /^arn:aws:sts::111111111111:assumed-role\/admin\/[\w+=,.@-]+$/;
const READONLY_ARN = /^arn:aws:sts::111111111111:assumed-role\/readonly\/[\w+=,.@-]+$/;
const DUMP_ENV = [process.execPath, "-e", "process.stdout.write(JSON.stringify(process.env))"];
const BOTO3 = `
import json, os, boto3
session = boto3.Session()
sts = session.client("sts", region_name="us-east-1", endpoint_url=os.environ["WHO_ENDPOINT"])
arn = sts.get_caller_identity()["Arn"]
print(json.dumps({"Arn": arn, "Method": session.get_credentials().method}))
`;

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
`);
  await w.addAlice("base");
  // The one MFA code of this file: every exec below reuses the cached session.
  const warm = await w.sb.run(["exec", "--server", "-t", w.code(), "admin", "--", "true"]);
  assert.equal(warm.code, 0, warm.stderr);
});
after(async () => {
  await w.stop();
});

const missing = (cmd: string, args: string[]) => whyMissing(cmd, args, w.sb.env);

function ok(r: RunResult): unknown {
  assert.equal(r.code, 0, `exit ${String(r.code)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function envOf(r: RunResult): Record<string, string> {
  const v = ok(r);
  const out: Record<string, string> = {};
  if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  }
  return out;
}

/** A client as exec's child: it must see the admin role, with GetCallerIdentity the only STS call. */
async function expectAdminVia(flag: string, child: string[], env: Record<string, string> = {}) {
  w.aws.clearCalls();
  const r = await w.sb.run(["exec", flag, "admin", "--", ...child], {
    env: { WHO_ENDPOINT: w.aws.url, ...env },
  });
  const out = ok(r);
  assert.match(String(field(out, "Arn")), ADMIN_ARN);
  assert.deepEqual(
    w.aws.calls().map((c) => c.action),
    ["GetCallerIdentity"],
    "credentials came from the server's engine cache",
  );
  return out;
}

test("exec sets AWS_VAULT (aws-vault's variable, for shell prompts) as well as AWSMFA_PROFILE", async () => {
  const env = envOf(await w.sb.run(["exec", "admin", "--", ...DUMP_ENV]));
  assert.equal(env.AWS_VAULT, "admin");
  assert.equal(env.AWSMFA_PROFILE, "admin");
});

test("exec --server: the child gets the server's URI and token, and no static keys", async () => {
  const env = envOf(
    await w.sb.run(["exec", "--server", "admin", "--", ...DUMP_ENV], {
      env: {
        AWS_ACCESS_KEY_ID: "AKIAINHERITED0000001",
        AWS_SECRET_ACCESS_KEY: "inherited/secret/inherited/secret/000001",
        AWS_SESSION_TOKEN: "stale",
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/stale",
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: "/nonexistent/token",
      },
    }),
  );
  assert.match(env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? "", /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.ok((env.AWS_CONTAINER_AUTHORIZATION_TOKEN ?? "").length >= 40);
  for (const gone of [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  ]) {
    assert.equal(env[gone], undefined, `${gone} is not in the child's environment`);
  }
  assert.equal(env.AWS_REGION, "us-east-1");
  assert.equal(env.AWS_VAULT, "admin");
});

test("AWS CLI v1 reads its credentials from exec --server", async (t) => {
  const why = await missing("aws", ["--version"]);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v1 not installed: ${why}`);
    return;
  }
  await expectAdminVia("--server", ["aws", "sts", "get-caller-identity"]);
});

test("AWS CLI v2 reads its credentials from exec --ecs-server", async (t) => {
  const why = await whyNoAwsV2(w.sb.env);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v2 not installed: ${why}`);
    return;
  }
  await expectAdminVia("--ecs-server", [
    AWS_V2,
    "--endpoint-url",
    w.aws.url,
    "sts",
    "get-caller-identity",
  ]);
});

test("boto3 reads its credentials from exec --server (container-role provider)", async (t) => {
  const why = await missing("python3", ["-c", "import boto3"]);
  if (why !== undefined) {
    skipLoudly(t, `boto3 not installed: ${why}`);
    return;
  }
  const out = await expectAdminVia("--server", ["python3", "-c", BOTO3]);
  assert.equal(field(out, "Method"), "container-role");
});

test("the JS SDK v3 default chain reads its credentials from exec --server", async () => {
  const out = await expectAdminVia("--server", [process.execPath, SDK, w.aws.url]);
  assert.ok(
    Date.parse(String(field(out, "Expiration"))) > Date.now(),
    "an Expiration it refreshes before",
  );
});

test("/role-arn/<ARN>: the role assumed from the profile's credentials, once per ARN", async (t) => {
  const why = await missing("aws", ["--version"]);
  if (why !== undefined) {
    skipLoudly(t, `AWS CLI v1 not installed: ${why}`);
    return;
  }
  w.aws.clearCalls();
  const script =
    `U="\${AWS_CONTAINER_CREDENTIALS_FULL_URI}role-arn/${READONLY_ROLE}"; ` +
    `AWS_CONTAINER_CREDENTIALS_FULL_URI="$U" aws sts get-caller-identity --query Arn --output text && ` +
    `AWS_CONTAINER_CREDENTIALS_FULL_URI="$U" aws sts get-caller-identity --query Arn --output text`;
  const r = await w.sb.run(["exec", "--server", "admin", "--", "sh", "-c", script]);
  assert.equal(r.code, 0, r.stderr);
  const arns = r.stdout.trim().split("\n");
  assert.equal(arns.length, 2);
  for (const arn of arns) assert.match(arn, READONLY_ARN);
  const assumed = callsOf(w.aws, "AssumeRole");
  assert.equal(assumed.length, 1, "one AssumeRole for two requests of the same ARN");
  const [call] = assumed;
  assert.ok(call !== undefined);
  assert.equal(call.roleArn, READONLY_ROLE);
  assert.match(
    call.callerArn ?? "",
    /assumed-role\/admin\//,
    "assumed with the profile's credentials",
  );
});

test("refusals: no token, a wrong token, a foreign Host, a browser Origin get 403 and nothing else; a bad ARN 400", async () => {
  const probes = [
    { path: "/", token: "right" },
    { path: "/" },
    { path: "/", token: "wrong" },
    { path: "/", headers: { Authorization: "Bearer " } },
    { path: "/", token: "right", host: "evil.example:80" },
    { path: "/", token: "right", host: "127.0.0.1.evil.example" },
    { path: "/", token: "right", headers: { Origin: "http://evil.example" } },
    { path: `/role-arn/${READONLY_ROLE}` },
    { path: "/role-arn/not-an-arn", token: "right" },
    { path: "/elsewhere", token: "right" },
    { path: "/", token: "right", method: "POST" },
  ];
  const r = await w.sb.run(
    ["--debug", "exec", "--server", "admin", "--", process.execPath, PROBE],
    {
      env: { PROBE: JSON.stringify(probes) },
    },
  );
  const out = ok(r);
  const token = String(field(out, "token"));
  const results = field(out, "results");
  assert.ok(Array.isArray(results));
  const all: unknown[] = results.slice();
  const [good, ...rest] = all;
  assert.equal(field(good, "status"), 200);
  assert.equal(field(good, "contentType"), "application/json");
  const body: unknown = JSON.parse(String(field(good, "body")));
  assert.deepEqual(Object.keys(body ?? {}).sort(), [
    "AccessKeyId",
    "Expiration",
    "SecretAccessKey",
    "Token",
  ]);
  assert.match(String(field(body, "Expiration")), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const statuses = rest.map((x: unknown) => field(x, "status"));
  assert.deepEqual(statuses, [403, 403, 403, 403, 403, 403, 403, 400, 404, 405]);
  for (const refused of rest.slice(0, 7)) {
    assert.equal(field(refused, "body"), "", "a refusal says nothing");
  }
  assert.ok(!r.stderr.includes(token), "the token is not in awsmfa's --debug output");
  assert.match(r.stderr, /refused .*Origin/);
});

test("the token is in no process's argv", async () => {
  const r = await w.sb.run([
    "exec",
    "--server",
    "admin",
    "--",
    "sh",
    "-c",
    'printf "%s\\n" "$AWS_CONTAINER_AUTHORIZATION_TOKEN"; ps -eo args',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const [token, ...ps] = r.stdout.split("\n");
  assert.ok((token ?? "").length >= 40);
  assert.ok(
    ps.some((l) => l.includes("exec --server admin")),
    "ps shows our processes",
  );
  assert.ok(!ps.some((l) => l.includes(token ?? "")), "no argv holds the token");
});

test("--lazy: nothing is fetched until the first request (a cold cache and no terminal do not matter)", async () => {
  const cleared = await w.sb.run(["clear"]);
  assert.equal(cleared.code, 0, cleared.stderr);
  w.aws.clearCalls();
  const lazy = await w.sb.run(["exec", "--server", "--lazy", "admin", "--", "true"]);
  assert.equal(lazy.code, 0, lazy.stderr);
  assert.deepEqual(w.aws.calls(), [], "no STS call");
  // Without --lazy the MFA code is needed before the child starts.
  const eager = await w.sb.run(["exec", "--server", "admin", "--", "true"]);
  assert.notEqual(eager.code, 0);
  assert.match(eager.stderr, /MFA code/);
  // Warm again for the tests after this one.
  const warm = await w.sb.run(["exec", "-t", w.code(), "admin", "--", "true"]);
  assert.equal(warm.code, 0, warm.stderr);
});

test("exec --ec2-server: AWS CLI v1, boto3 and the JS SDK read IMDSv2", async (t) => {
  const env = envOf(await w.sb.run(["exec", "--ec2-server", "admin", "--", ...DUMP_ENV]));
  assert.match(env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? "", /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(env.AWS_EC2_METADATA_DISABLED, undefined, "the sandbox's 'true' is removed");
  assert.equal(env.AWS_ACCESS_KEY_ID, undefined);
  await expectAdminVia("--ec2-server", [process.execPath, SDK, w.aws.url]);
  const cli = await missing("aws", ["--version"]);
  if (cli === undefined)
    await expectAdminVia("--ec2-server", ["aws", "sts", "get-caller-identity"]);
  const py = await missing("python3", ["-c", "import boto3"]);
  if (py === undefined) {
    const out = await expectAdminVia("--ec2-server", ["python3", "-c", BOTO3]);
    assert.equal(field(out, "Method"), "iam-role");
  }
  const v2 = await whyNoAwsV2(w.sb.env);
  if (v2 === undefined) {
    await expectAdminVia("--ec2-server", [
      AWS_V2,
      "--endpoint-url",
      w.aws.url,
      "sts",
      "get-caller-identity",
    ]);
  }
  const skipped = [cli, py, v2].filter((x) => x !== undefined);
  if (skipped.length > 0) skipLoudly(t, `clients missing: ${skipped.join("; ")}`);
});

test("exec --ec2-server: token required on reads, TTL checked, Host and Origin refused", async () => {
  const CREDS = "/latest/meta-data/iam/security-credentials/";
  const probes = [
    { path: CREDS },
    { path: "/latest/api/token", method: "PUT" },
    {
      path: "/latest/api/token",
      method: "PUT",
      headers: { "x-aws-ec2-metadata-token-ttl-seconds": "21601" },
    },
    {
      path: "/latest/api/token",
      method: "PUT",
      headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" },
      host: "evil.example",
    },
    {
      path: "/latest/api/token",
      method: "PUT",
      headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60", Origin: "http://evil.example" },
    },
    {
      path: "/latest/api/token",
      method: "PUT",
      headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" },
    },
    { path: CREDS, imdsToken: "last" },
  ];
  const r = await w.sb.run(["exec", "--ec2-server", "admin", "--", process.execPath, PROBE], {
    env: { PROBE: JSON.stringify(probes) },
  });
  const results = field(ok(r), "results");
  assert.ok(Array.isArray(results));
  assert.deepEqual(
    results.map((x: unknown) => field(x, "status")),
    [401, 400, 400, 403, 403, 200, 200],
  );
  const roleName = String(field(results[6], "body"));
  assert.equal(roleName, "awsmfa-admin");
  assert.equal(field(field(results[5], "headers"), "x-aws-ec2-metadata-token-ttl-seconds"), "60");
});

test("exec --server refuses long-term keys and contradictory flags with one clear message", async () => {
  const noSession = await w.sb.run(["exec", "--server", "--no-session", "base", "--", "true"]);
  assert.equal(noSession.code, 2, noSession.stderr);
  assert.match(noSession.stderr, /long-term keys.*cannot hand out/);
  const both = await w.sb.run(["exec", "--server", "--ec2-server", "admin", "--", "true"]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /cannot be used together/);
  const lazyAlone = await w.sb.run(["exec", "--lazy", "admin", "--", "true"]);
  assert.equal(lazyAlone.code, 2);
  assert.match(lazyAlone.stderr, /--lazy only applies/);
});
