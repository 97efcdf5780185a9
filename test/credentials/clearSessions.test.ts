/**
 * Bug: `clear caktus` / `remove caktus --force` left the role sessions that
 * were obtained with caktus's keys (the admin role, assumed through the
 * caktus-mfa session, stayed listed as "role 59m left"). Clearing a profile
 * now removes every cached session whose chain uses its credentials: its
 * sessions, and the roles whose chain roots at or passes through it (role
 * cache keys name that chain, so no secret is read to decide).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { getCredentials } from "../../src/credentials/getCredentials.ts";
import { parseCacheKey } from "../../src/credentials/cacheKey.ts";
import { clearSessions } from "../../src/credentials/sessionCache.ts";
import { ALICE_MFA, makeConfig, makeDeps, prof, storeKeys, stsDouble } from "./helpers.ts";
import { memoryStore } from "../helpers/memoryStore.ts";

const ADMIN_ROLE = "arn:aws:iam::111111111111:role/admin";

async function world() {
  const config = makeConfig(
    prof("caktus"),
    prof("caktus-mfa", { mfaSerial: ALICE_MFA, sourceProfile: "caktus" }),
    prof("admin", { roleArn: ADMIN_ROLE, sourceProfile: "caktus-mfa" }),
  );
  const store = memoryStore();
  await storeKeys(store, "caktus");
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store });
  const sts = stsDouble(deps.clock, ["111111"]);
  return { d: { ...deps, sts: sts.factory }, store };
}

async function sessionNames(store: ReturnType<typeof memoryStore>): Promise<string[]> {
  return (await store.list("session")).map((r) => r.name).sort();
}

test("bug: clearing the profile with the keys clears every session obtained with them, the role included", async () => {
  const { d, store } = await world();
  await getCredentials(d, { profile: "admin", mfaToken: "111111" });
  const names = await sessionNames(store);
  assert.equal(names.length, 2);
  const role = names.find((n) => parseCacheKey(n)?.type === "role");
  const info = parseCacheKey(role ?? "");
  assert.ok(info?.type === "role");
  assert.deepEqual(info.via, ["caktus-mfa", "caktus"], "the role names its chain");
  assert.equal(info.mfaSerial, ALICE_MFA);

  // The role itself: only the role.
  assert.deepEqual(await clearSessions(store, "admin"), [role]);
  assert.equal((await sessionNames(store)).length, 1);

  // Again, then the profile with the keys: the session and the role.
  await getCredentials(d, { profile: "admin" });
  assert.equal((await sessionNames(store)).length, 2);
  assert.equal((await clearSessions(store, "caktus")).length, 2);
  assert.deepEqual(await sessionNames(store), []);
});

test("clearing a profile the chain passes through clears the roles through it, not the shared session", async () => {
  const { d, store } = await world();
  await getCredentials(d, { profile: "admin", mfaToken: "111111" });
  const removed = await clearSessions(store, "caktus-mfa");
  assert.equal(removed.length, 1);
  assert.equal(parseCacheKey(removed[0] ?? "")?.type, "role");
  const left = await sessionNames(store);
  assert.equal(left.length, 1);
  assert.equal(parseCacheKey(left[0] ?? "")?.type, "session");
});
