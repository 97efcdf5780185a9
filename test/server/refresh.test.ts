/**
 * A child that outlives its credentials keeps working under
 * `exec --server`: fake-aws issues 40-second sessions (real time), the JS
 * SDK in the child calls STS in a loop, and the server fetches new
 * credentials through the engine before the old ones expire. No timing is
 * asserted: the child stops once it has used two different keys, and the
 * timeouts only turn a hang into a failure.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startFakeAws, type FakeAws } from "../../fake-aws/server.ts";
import { EXAMPLE_WORLD } from "../fake-aws/helpers.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { ALICE, READONLY_ROLE, callsOf, field } from "../cli/helpers.ts";

const LOOP = fileURLToPath(new URL("fixtures/sdkLoop.mjs", import.meta.url));

let aws: FakeAws;
let sb: Sandbox;

before(async () => {
  aws = await startFakeAws({ world: EXAMPLE_WORLD, maxSessionSeconds: 40 });
  sb = await makeSandbox();
  Object.assign(sb.env, {
    AWS_ENDPOINT_URL_STS: aws.url,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
  });
  await sb.writeConfig(`[profile base]

[profile ro]
role_arn = ${READONLY_ROLE}
source_profile = base
region = us-east-1
`);
  const add = await sb.run(["add", "base", "--env", "--force"], {
    env: { AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey },
  });
  assert.equal(add.code, 0, add.stderr);
});
after(async () => {
  await aws.stop();
  await sb.cleanup();
});

test("a child running across a refresh: exec --server hands it new credentials before the old ones expire", async () => {
  aws.clearCalls();
  const r = await sb.run(["exec", "--server", "ro", "--", process.execPath, LOOP, aws.url], {
    env: { STOP_AFTER: "2", MAX_CALLS: "240" },
    timeoutMs: 180_000,
  });
  assert.equal(r.code, 0, `exit ${String(r.code)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  const out: unknown = JSON.parse(r.stdout);
  const keys = field(out, "keys");
  const calls = Number(field(out, "calls"));
  assert.ok(Array.isArray(keys));
  assert.equal(keys.length, 2, `the child used two sets of credentials in ${String(calls)} calls`);
  // Every call the child made succeeded (a failure would have ended it
  // non-zero), and each was signed with credentials fake-aws accepted.
  const identity = callsOf(aws, "GetCallerIdentity");
  assert.equal(identity.length, calls);
  assert.ok(identity.every((c) => c.ok));
  // The server fetched once per set, not once per request.
  assert.equal(callsOf(aws, "AssumeRole").length, 2);
});
