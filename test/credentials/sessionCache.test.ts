import { test } from "node:test";
import assert from "node:assert/strict";
import {
  clearSessions,
  listCachedSessions,
  readCachedSession,
  writeCachedSession,
} from "../../src/credentials/sessionCache.ts";
import { parseCacheKey, roleCacheKey, sessionCacheKey } from "../../src/credentials/cacheKey.ts";
import { memoryStore } from "../helpers/memoryStore.ts";

const T = Date.parse("2024-06-01T09:00:00Z");
const creds = (expMs: number) => ({
  accessKeyId: "ASIAX",
  secretAccessKey: "s",
  sessionToken: "t",
  expiration: new Date(expMs),
});

test("cache keys are readable, lossless for odd profile names, and parse back", () => {
  const s = sessionCacheKey("we|ird%name", "arn:aws:iam::1:mfa/a", 28800);
  assert.deepEqual(parseCacheKey(s), {
    type: "session",
    sourceProfile: "we|ird%name",
    mfaSerial: "arn:aws:iam::1:mfa/a",
    durationSeconds: 28800,
  });
  const r = roleCacheKey("admin", "arn:aws:iam::1:role/admin", 3600, { upstream: s });
  const info = parseCacheKey(r);
  assert.equal(info?.type, "role");
  assert.notEqual(r, roleCacheKey("admin", "arn:aws:iam::1:role/admin", 3600, { upstream: "x" }));
  assert.equal(parseCacheKey("something else"), undefined);
  // The chain a role was assumed through, and its device, are in the name.
  const chained = roleCacheKey(
    "a|b",
    "arn:aws:iam::1:role/x",
    900,
    {},
    { via: ["odd,name", "we|ird%name"], mfaSerial: "arn:aws:iam::1:mfa/a" },
  );
  assert.deepEqual(parseCacheKey(chained), {
    type: "role",
    profile: "a|b",
    roleArn: "arn:aws:iam::1:role/x",
    durationSeconds: 900,
    via: ["odd,name", "we|ird%name"],
    mfaSerial: "arn:aws:iam::1:mfa/a",
    fingerprint: chained.split("|").at(-1),
  });
  // Names written before via/serial existed still parse (and clear by profile).
  assert.deepEqual(parseCacheKey("role|admin|arn:aws:iam::1:role/admin|3600|0123456789abcdef"), {
    type: "role",
    profile: "admin",
    roleArn: "arn:aws:iam::1:role/admin",
    durationSeconds: 3600,
    via: [],
    mfaSerial: undefined,
    fingerprint: "0123456789abcdef",
  });
  assert.deepEqual(parseCacheKey(sessionCacheKey("p", undefined, 3600)), {
    type: "session",
    sourceProfile: "p",
    mfaSerial: undefined,
    durationSeconds: 3600,
  });
});

test("entries are used while more than 5 minutes remain; expiring and corrupt ones are dropped under the lock only", async () => {
  const store = memoryStore();
  await writeCachedSession(store, "k", creds(T + 6 * 60_000));
  assert.equal((await readCachedSession(store, "k", T)).hit, true);
  // Outside the entry's lock a stale entry is a miss but stays: it may be
  // replaced under the lock at any moment (regression: a lock-free reader
  // could delete the fresh entry another process had just written).
  assert.deepEqual(await readCachedSession(store, "k", T + 60_000), {
    hit: false,
    why: "expiring",
  });
  assert.notEqual(await store.get("session", "k"), undefined);
  assert.deepEqual(await readCachedSession(store, "k", T + 60_000, true), {
    hit: false,
    why: "expiring",
  });
  assert.equal(await store.get("session", "k"), undefined);
  await store.set("session", "bad", "{not json");
  assert.deepEqual(await readCachedSession(store, "bad", T, true), {
    hit: false,
    why: "unreadable",
  });
  assert.equal(await store.get("session", "bad"), undefined);
  assert.deepEqual(await readCachedSession(store, "missing", T), { hit: false, why: "missing" });
});

test("list shows expiry without secrets; clear removes one profile's or all", async () => {
  const store = memoryStore();
  const s = sessionCacheKey("caktus", "arn:aws:iam::1:mfa/a", 28800);
  const r = roleCacheKey("admin", "arn:aws:iam::1:role/admin", 3600, {});
  await writeCachedSession(store, s, creds(T + 8 * 3600_000));
  await writeCachedSession(store, r, creds(T + 60_000));
  await store.set("keys", "caktus", "{}");
  const listed = await listCachedSessions(store, T);
  assert.deepEqual(
    listed.map((l) => [l.info?.type, l.usable, l.expiration?.toISOString()]),
    [
      ["session", true, "2024-06-01T17:00:00.000Z"],
      ["role", false, "2024-06-01T09:01:00.000Z"],
    ],
  );
  assert.ok(!JSON.stringify(listed).includes("ASIAX"));
  assert.deepEqual(await clearSessions(store, "admin"), [r]);
  assert.deepEqual(await clearSessions(store, "caktus-mfa", [s]), [s]);
  assert.deepEqual(await clearSessions(store), []);
  assert.equal(await store.get("keys", "caktus"), "{}", "keys are never cleared");
});
