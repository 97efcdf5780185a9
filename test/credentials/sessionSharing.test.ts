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
import { AwsmfaError } from "../../src/errors.ts";
import { ALICE_MFA, makeConfig, makeDeps, prof, storeKeys, stsDouble } from "./helpers.ts";
import { memoryStore } from "../helpers/memoryStore.ts";

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

test("regression (#9 item 4): an explicit -d longer than what the cached session has left gets a new session, and --debug says why", async () => {
  const { d, sts } = await world(["111111", "222222"], ["222222"]);
  await getCredentials(d, { profile: "admin", mfaToken: "111111" });
  d.clock.advance(7 * 60 * MINUTE); // 1h left on the 8h session
  // -d no longer than what is left: the session is shared, no new code.
  const shared = await getCredentials(d, { profile: "caktus-mfa", durationSeconds: 3600 });
  assert.equal(sts.ops().length, 2, "-d 1h is served by the session with 1h left");
  assert.equal(shared.expiration?.getTime(), d.clock.now() + 60 * MINUTE);
  // -d 12h: the cached session would end in 1h; a new 12h one is fetched.
  const creds = await getCredentials(d, { profile: "caktus-mfa", durationSeconds: 12 * 3600 });
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole", "GetSessionToken"]);
  assert.equal(sts.calls[2]?.input?.durationSeconds, 12 * 3600);
  assert.equal(creds.expiration?.getTime(), d.clock.now() + 12 * 60 * MINUTE);
  assert.deepEqual(d.prompts, ["Enter MFA code for " + ALICE_MFA + ": "]);
  assert.ok(
    d.debugLines.includes(
      `not reusing the cached session for caktus/${ALICE_MFA}: 1h left, less than the 12h asked for with -d`,
    ),
    d.debugLines.join("\n"),
  );
  // And the new session serves the next -d 12h call (and the role's chain).
  await getCredentials(d, { profile: "caktus-mfa", durationSeconds: 12 * 3600 });
  assert.equal(sts.ops().length, 3, "the 12h session is reused");
});

test("regression (#9 item 4): -t with a cached session says on stderr that the code was not needed and not spent", async () => {
  const { d, sts } = await world(["111111", "222222"]);
  await getCredentials(d, { profile: "caktus-mfa", mfaToken: "111111" });
  assert.deepEqual(d.warnLines, [], "a code that was used: no warning");
  const again = await getCredentials(d, { profile: "caktus-mfa", mfaToken: "222222" });
  assert.equal(again.source, "session");
  assert.equal(sts.calls.length, 1, "nothing sent");
  assert.deepEqual(d.warnLines, [
    `--mfa-token was not needed: the cached session for caktus/${ALICE_MFA} is still good. The code was not sent, so it is not spent.`,
  ]);
  // The code is still good for a call that needs one.
  await getCredentials(d, { profile: "caktus-mfa", mfaToken: "222222", durationSeconds: 7200 });
  assert.equal(sts.calls[1]?.input?.tokenCode, "222222");
  assert.equal(d.warnLines.length, 1);
});

test("regression (#9 item 4): -t for a profile without mfa_serial is refused before anything is sent", async () => {
  const { d, sts } = await world();
  for (const req of [
    { profile: "caktus", mfaToken: "111111" },
    { profile: "caktus-mfa", mfaToken: "111111", noSession: true },
  ]) {
    await assert.rejects(getCredentials(d, req), (e: unknown) => {
      assert.ok(e instanceof AwsmfaError);
      assert.equal(e.code, "E_MFA_TOKEN_UNUSED");
      assert.equal(e.exitCode, 2);
      assert.match(
        e.message,
        /^--mfa-token was given, but .*Nothing was sent; the code is not spent\.$/,
      );
      assert.match(e.hint ?? "", req.noSession === true ? /--no-session/ : /mfa_serial/);
      return true;
    });
  }
  assert.deepEqual(sts.calls, []);
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
