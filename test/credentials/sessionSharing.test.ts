/**
 * Bug: the MFA session was not shared between a role and its MFA profile.
 * After `exec admin -t C` (an 8h session for (caktus, alice's device)),
 * `exec caktus-mfa` asked for a second code, because the cache key held the
 * duration (1h for a session used as is). DESIGN: one GetSessionToken with
 * MFA per (source profile, mfa_serial), reused while more than 5 minutes
 * remain.

 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { getCredentials } from "../../src/credentials/getCredentials.ts";
import { parseCacheKey } from "../../src/credentials/cacheKey.ts";
import { memoryStore } from "../../src/store/SecretStore.ts";
import { ALICE_MFA, makeConfig, makeDeps, prof, storeKeys, stsDouble } from "./helpers.ts";

const MINUTE = 60_000;
const ADMIN_ROLE = "arn:aws:iam::111111111111:role/admin";

function config() {
  return makeConfig(
    prof("caktus"),
    prof("caktus-mfa", { mfaSerial: ALICE_MFA, sourceProfile: "caktus" }),
    prof("admin", { roleArn: ADMIN_ROLE, sourceProfile: "caktus-mfa" }),
  );
}

async function world(codes: string[] = ["111111"], promptAnswers: string[] = []) {
  const store = memoryStore();
  await storeKeys(store, "caktus");
  const deps = makeDeps(config(), stsDouble({ now: () => 0 }).factory, { store, promptAnswers });
  const sts = stsDouble(deps.clock, codes);
  return { d: { ...deps, sts: sts.factory }, sts, store };
}

async function sessionNames(store: ReturnType<typeof memoryStore>): Promise<string[]> {
  return (await store.list("session")).map((r) => r.name).sort();
}

test("bug: exec admin -t C, then exec caktus-mfa: the 8h MFA session serves it, no second code", async () => {
  const { d, sts, store } = await world();
  await getCredentials(d, { profile: "admin", mfaToken: "111111" });
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole"]);
  assert.equal(sts.calls[0]?.input?.durationSeconds, 28800);

  d.clock.advance(48 * MINUTE);
  const creds = await getCredentials(d, { profile: "caktus-mfa" });
  assert.equal(creds.source, "session");
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole"], "no STS call");
  assert.deepEqual(d.prompts, [], "no second code");
  assert.equal(creds.accessKeyId, sts.calls[1]?.signer, "the session the role was assumed with");
  assert.ok(
    d.debugLines.includes(`reusing cached session for caktus/${ALICE_MFA}, 7h12m left`),
    d.debugLines.join("\n"),
  );
  assert.equal((await sessionNames(store)).length, 2, "one session, one role: no second session");
});

test("bug: the other way round: a 1h session from caktus-mfa serves the role while more than 5 minutes remain", async () => {
  const { d, sts } = await world(["111111", "222222"], ["222222"]);
  await getCredentials(d, { profile: "caktus-mfa", mfaToken: "111111" });
  assert.equal(sts.calls[0]?.input?.durationSeconds, 3600);
  d.clock.advance(54 * MINUTE); // 6 minutes left
  await getCredentials(d, { profile: "admin" });
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole"]);
  assert.deepEqual(d.prompts, []);
  assert.equal(sts.calls[1]?.signer, "ASIATEST000000000001", "assumed with the 1h session");

  // 4 minutes left: not used; a new one, of the length asked for now (1h).
  d.clock.advance(2 * MINUTE);
  await getCredentials(d, { profile: "caktus-mfa" });
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole", "GetSessionToken"]);
  assert.equal(sts.calls[2]?.input?.durationSeconds, 3600);
  assert.equal(d.prompts.length, 1);
});

test("an explicit -d on the MFA profile reuses a cached session with what it has left (as aws-vault)", async () => {
  const { d, sts } = await world();
  await getCredentials(d, { profile: "admin", mfaToken: "111111" });
  d.clock.advance(7 * 60 * MINUTE); // 1h left on the 8h session
  const creds = await getCredentials(d, { profile: "caktus-mfa", durationSeconds: 12 * 3600 });
  assert.equal(sts.ops().length, 2, "no new session for a longer -d");
  assert.equal(creds.expiration?.getTime(), d.clock.now() + 60 * MINUTE);
});

test("a session without MFA never stands in for one with MFA (nor the other way round)", async () => {
  const { d, sts, store } = await world(["111111"], []);
  // The profile holding the keys, used as is: a GetSessionToken without MFA.
  await getCredentials(d, { profile: "caktus" });
  assert.deepEqual(sts.calls[0]?.input, { durationSeconds: 3600 });
  // Its MFA profile needs an MFA session: the one without MFA is not used.
  await getCredentials(d, { profile: "caktus-mfa", mfaToken: "111111" });
  assert.deepEqual(sts.calls[1]?.input, {
    durationSeconds: 3600,
    serialNumber: ALICE_MFA,
    tokenCode: "111111",
  });
  // And the MFA session does not replace the plain one.
  await getCredentials(d, { profile: "caktus" });
  assert.equal(sts.calls.length, 2, "the plain session is still cached and used");
  const infos = (await sessionNames(store)).map((n) => parseCacheKey(n));
  assert.deepEqual(infos.map((i) => (i?.type === "session" ? i.mfaSerial : "role")).sort(), [
    ALICE_MFA,
    undefined,
  ]);
});

test("concurrent callers asking for different durations of one session wait on one lock: one code, one GetSessionToken", async () => {
  const { d, sts } = await world(["111111"], ["111111"]);
  const [role, session] = await Promise.all([
    getCredentials(d, { profile: "admin" }),
    getCredentials(d, { profile: "caktus-mfa" }),
  ]);
  assert.equal(role.source, "role");
  assert.equal(session.source, "session");
  assert.equal(sts.ops().filter((o) => o === "GetSessionToken").length, 1);
  assert.equal(d.prompts.length, 1);
});
