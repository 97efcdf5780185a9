/**
 * Bug: keys stored without a config section could not be used. After
 * `awsmfa add work --env` (no --add-config), `export work -n`, `exec work`
 * and `source_profile = work` all failed "Profile 'work' is not in
 * ~/.aws/config". As with aws-vault, a profile with stored keys and no
 * section resolves as an empty profile (no region, no mfa_serial) whose
 * long-term credentials are the stored keys.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { getCredentials, planCredentials } from "../../src/credentials/getCredentials.ts";
import { isAwsmfaError } from "../../src/errors.ts";
import {
  ALICE_KEYS,
  ALICE_MFA,
  makeConfig,
  makeDeps,
  prof,
  storeKeys,
  stsDouble,
} from "./helpers.ts";
import { memoryStore } from "../helpers/memoryStore.ts";

async function world() {
  const config = makeConfig(
    prof("work-mfa", { mfaSerial: ALICE_MFA, sourceProfile: "work", region: "eu-west-1" }),
    prof("work-admin", {
      roleArn: "arn:aws:iam::111111111111:role/admin",
      sourceProfile: "work-mfa",
    }),
    prof("lost", { sourceProfile: "nowhere" }),
  );
  const store = memoryStore();
  await storeKeys(store, "work"); // no [profile work] anywhere
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store });
  const sts = stsDouble(deps.clock, ["111111", "222222"]);
  return { d: { ...deps, sts: sts.factory }, sts };
}

test("bug: a profile with stored keys and no config section is used directly (-n and a session)", async () => {
  const { d, sts } = await world();
  const keys = await getCredentials(d, { profile: "work", noSession: true });
  assert.deepEqual(keys, { ...ALICE_KEYS, source: "stored-keys" }, "no region: nothing names one");
  const session = await getCredentials(d, { profile: "work" });
  assert.equal(session.source, "session");
  assert.equal(session.region, undefined);
  assert.deepEqual(sts.calls[0]?.input, { durationSeconds: 3600 }, "no MFA: the profile has none");
  assert.equal(sts.calls[0].signer, ALICE_KEYS.accessKeyId);
});

test("bug: source_profile may name a profile that only has stored keys", async () => {
  const { d, sts } = await world();
  const plan = planCredentials(
    d.config,
    { profile: "work-admin" },
    {
      storedKeys: new Set(["work"]),
      env: {},
    },
  );
  assert.deepEqual(plan.chain, ["work-admin", "work-mfa", "work"]);
  assert.deepEqual(plan.source, { kind: "stored-keys", profile: "work" });
  const creds = await getCredentials(d, { profile: "work-admin", mfaToken: "111111" });
  assert.equal(creds.source, "role");
  assert.equal(creds.region, "eu-west-1");
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole"]);
  assert.equal(sts.calls[0]?.signer, ALICE_KEYS.accessKeyId);
});

test("a profile with neither a section nor stored keys still fails clearly", async () => {
  const { d, sts } = await world();
  for (const [profile, code, message, hint] of [
    [
      "nope",
      "E_PROFILE_NOT_FOUND",
      /^Profile 'nope' is not in \/home\/u\/\.aws\/config or \/home\/u\/\.aws\/credentials\.$/,
      /Add \[profile nope\] to \/home\/u\/\.aws\/config, or run 'awsmfa list'/,
    ],
    [
      "lost",
      "E_CONFIG_REFERENCE",
      /source_profile in profile 'lost' names profile 'nowhere', which does not exist/,
      /Add \[profile nowhere\]/,
    ],
  ] as const) {
    await assert.rejects(getCredentials(d, { profile }), (e: unknown) => {
      assert.ok(isAwsmfaError(e));
      assert.equal(e.code, code);
      assert.match(e.message, message);
      assert.match(e.hint ?? "", hint);
      return true;
    });
  }
  assert.deepEqual(sts.calls, []);
});
