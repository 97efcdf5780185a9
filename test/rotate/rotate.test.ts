/**
 * `awsmfa rotate` from the outside: the built bin against fake-aws (IAM and
 * STS with real SigV4), alice's key in a sandbox store. One world for the
 * file; the tests run in order, each leaving alice with one working key.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BOB, BOB_MFA } from "../fake-aws/helpers.ts";
import { runProcess } from "../helpers/sandbox.ts";
import {
  ALICE,
  ALICE_MFA,
  callsOf,
  field,
  onlyCall,
  skipLoudly,
  startWorld,
  type World,
} from "../cli/helpers.ts";

const CONFIG = `[profile alice]
region = us-east-1
mfa_serial = ${ALICE_MFA}

[profile base]
region = us-east-1

[profile bob]
mfa_serial = ${BOB_MFA}

[profile adm]
role_arn = arn:aws:iam::111111111111:role/admin
source_profile = alice
`;

let w: World;
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(CONFIG);
  await w.addAlice("alice");
  await w.addAlice("base");
});
after(() => w.stop());

const aliceKeys = () => {
  const user = w.aws.state.findUser("111111111111", "alice");
  assert.ok(user !== undefined);
  return { user, ids: [...user.keys.keys()] };
};

/** The key id a profile's stored keys have, as `export --no-session` hands them out. */
async function storedKeyId(profile: string): Promise<string> {
  const r = await w.sb.run(["export", profile, "--no-session", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  return String(field(JSON.parse(r.stdout), "AccessKeyId"));
}

describe("awsmfa rotate", () => {
  it("two keys already: refused before anything is made, nothing changes", async () => {
    const { user } = aliceKeys();
    w.aws.state.addKey(user, {
      id: "AKIAFAKEALICE0000009",
      secret: "fake/alice/second/key/not/real/00000009",
      status: "Active",
      createdMs: w.clock.now(),
    });
    try {
      w.aws.clearCalls();
      const r = await w.sb.run(["rotate", "base"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /IAM user 'alice' has two access keys already \(\*\*\*\*0001.*\*\*\*\*0009\)/,
      );
      assert.match(r.stderr, /Nothing was changed/);
      assert.equal(callsOf(w.aws, "CreateAccessKey").length, 0);
      assert.equal(await storedKeyId("base"), ALICE.accessKeyId);
    } finally {
      w.aws.state.deleteKey(user, "AKIAFAKEALICE0000009");
    }
  });

  it("rolls back when the new key cannot be proved (STS unreachable): new key deleted, old one stored", async () => {
    w.aws.clearCalls();
    const r = await w.sb.run(["rotate", "base"], {
      env: { AWS_ENDPOINT_URL_STS: "http://127.0.0.1:9" },
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Could not reach STS/);
    assert.match(r.stderr, /Rolled back: the old key \*\*\*\*0001 is stored and active/);
    assert.equal(onlyCall(w.aws, "CreateAccessKey").ok, true);
    assert.equal(onlyCall(w.aws, "DeleteAccessKey").ok, true);
    assert.deepEqual(aliceKeys().ids, [ALICE.accessKeyId]);
    assert.equal(await storedKeyId("base"), ALICE.accessKeyId);
    assert.equal(await storedKeyId("alice"), ALICE.accessKeyId);
  });

  it("rotates with IAM calls signed by an MFA session, stores the new key for every profile holding it, drops old sessions", async () => {
    // A cached MFA session made with the old key.
    const exported = await w.sb.run(["export", "alice", "-t", w.code()]);
    assert.equal(exported.code, 0, exported.stderr);
    const before = await w.sb.run(["list", "--json"]);
    assert.match(before.stdout, /"expiration": "/, "a cached session before");
    w.aws.clearCalls();
    const r = await w.sb.run(["rotate", "alice", "-t", w.code()]);
    assert.equal(r.code, 0, r.stderr);
    // The MFA session cached above is reused for IAM: no new code spent.
    for (const action of ["ListAccessKeys", "CreateAccessKey", "DeleteAccessKey"]) {
      const call = onlyCall(w.aws, action);
      assert.equal(call.ok, true, action);
      assert.equal(call.mfaPresent, true, `${action} signed with MFA`);
    }
    const proof = onlyCall(w.aws, "GetCallerIdentity");
    assert.equal(proof.ok, true);
    assert.equal(proof.credentialType, "user");
    const { ids } = aliceKeys();
    assert.equal(ids.length, 1);
    const [newId = ""] = ids;
    assert.notEqual(newId, ALICE.accessKeyId);
    assert.match(
      r.stderr,
      new RegExp(`\\*\\*\\*\\*0001 deleted, \\*\\*\\*\\*${newId.slice(-4)} stored and working`),
    );
    assert.match(r.stderr, /Profiles base held the same key/);
    assert.match(r.stderr, /Dropped 1 cached session/);
    assert.ok(!r.stderr.includes(newId), "the new key id only as its last four");
    assert.equal(await storedKeyId("alice"), newId);
    assert.equal(await storedKeyId("base"), newId);
    const list = await w.sb.run(["list", "--json"]);
    assert.equal(list.code, 0, list.stderr);
    assert.doesNotMatch(list.stdout, /"expiration": "/, "no cached session is left");
    // And the new key works for what comes next: a fresh MFA session.
    w.aws.clearCalls();
    const again = await w.sb.run(["export", "alice", "-t", w.code()]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(onlyCall(w.aws, "GetSessionToken").ok, true);
  });

  it("-n signs IAM with the key itself; a -t it cannot use is warned about and not sent", async () => {
    const [before = ""] = aliceKeys().ids;
    w.aws.clearCalls();
    const code = w.code();
    const r = await w.sb.run(["rotate", "alice", "-n", "-t", code]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /--mfa-token is not used: --no-session signs IAM calls with the key itself/,
    );
    assert.equal(onlyCall(w.aws, "CreateAccessKey").credentialType, "user");
    assert.equal(w.aws.calls().filter((c) => c.mfaCodeSent === true).length, 0);
    const { ids } = aliceKeys();
    assert.equal(ids.length, 1);
    assert.notEqual(ids[0], before);
    assert.equal(await storedKeyId("base"), ids[0]);
  });

  it("the AWS CLI v1 signs with the rotated key (exec -n hands it the stored key)", async (t) => {
    const probe = await runProcess("aws", ["--version"], w.sb.env).catch((e: unknown) => ({
      code: null,
      stderr: String(e),
    }));
    if (probe.code !== 0) {
      skipLoudly(t, `AWS CLI v1 ('aws') not runnable: ${probe.stderr.trim()}`);
      return;
    }
    const [current = ""] = aliceKeys().ids;
    assert.notEqual(current, ALICE.accessKeyId, "runs after a rotation");
    w.aws.clearCalls();
    const r = await w.sb.run(["exec", "base", "-n", "--", "aws", "sts", "get-caller-identity"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(field(JSON.parse(r.stdout), "Arn"), "arn:aws:iam::111111111111:user/alice");
    const call = onlyCall(w.aws, "GetCallerIdentity");
    assert.equal(call.ok, true);
    assert.equal(call.credentialType, "user");
  });

  it("under ForceMFA (bob): the IAM calls go through with the MFA session asked for on the way", async () => {
    const added = await w.sb.run(["add", "bob", "--env"], {
      env: { AWS_ACCESS_KEY_ID: BOB.accessKeyId, AWS_SECRET_ACCESS_KEY: BOB.secretAccessKey },
    });
    assert.equal(added.code, 0, added.stderr);
    // Without MFA, IAM refuses bob: what -n shows.
    const denied = await w.sb.run(["rotate", "bob", "-n"]);
    assert.equal(denied.code, 1, denied.stderr);
    assert.match(denied.stderr, /IAM ListAccessKeys failed with AccessDenied/);
    assert.match(denied.stderr, /mfa_serial/);
    w.aws.clearCalls();
    const r = await w.sb.run(["rotate", "bob", "-t", w.code(BOB_MFA)]);
    assert.equal(r.code, 0, r.stderr);
    const gst = onlyCall(w.aws, "GetSessionToken");
    assert.equal(gst.mfaCodeUsed, true);
    assert.equal(onlyCall(w.aws, "CreateAccessKey").mfaPresent, true);
    assert.equal(onlyCall(w.aws, "DeleteAccessKey").mfaPresent, true);
    const bob = w.aws.state.findUser("111111111111", "bob");
    assert.deepEqual([...(bob?.keys.keys() ?? [])], [await storedKeyId("bob")]);
    assert.notEqual(await storedKeyId("bob"), BOB.accessKeyId);
  });

  it("a role profile rotates the keys its chain starts from, signing IAM with the source's MFA session", async () => {
    const [before = ""] = aliceKeys().ids;
    w.aws.clearCalls();
    const r = await w.sb.run(["rotate", "adm", "-t", w.code()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /rotated the access key of profile 'alice' \(IAM user alice\)/);
    assert.equal(callsOf(w.aws, "AssumeRole").length, 0, "no role is assumed to rotate");
    assert.equal(onlyCall(w.aws, "CreateAccessKey").credentialType, "session-token");
    assert.equal(onlyCall(w.aws, "CreateAccessKey").mfaPresent, true);
    const { ids } = aliceKeys();
    assert.equal(ids.length, 1);
    assert.notEqual(ids[0], before);
    assert.equal(await storedKeyId("alice"), ids[0]);
  });

  it("keys not in the store: one message saying to migrate", async () => {
    await w.sb.writeCredentials(
      `[plain]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`,
    );
    try {
      const r = await w.sb.run(["rotate", "plain"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /gets its keys from plain-text keys in .*credentials/);
      assert.match(r.stderr, /awsmfa migrate/);
    } finally {
      await w.sb.writeCredentials("");
    }
  });
});
