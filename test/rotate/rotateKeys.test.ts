/**
 * rotateKeys with an in-memory IAM and store: the order of the steps, the
 * two-key limit checked first, retries while a new key spreads, and the
 * rollback from each step that can fail.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IamClient } from "../../src/aws/IamClient.ts";
import { StsError } from "../../src/aws/StsError.ts";
import type { AwsCredentials, CallerIdentity } from "../../src/aws/StsClient.ts";
import { rotateKeys, type RotateDeps } from "../../src/credentials/rotateKeys.ts";
import { AwsmfaError } from "../../src/errors.ts";
import { fixedClock } from "../helpers/fixedClock.ts";
import { parseStoredKeys, type SecretStore } from "../../src/store/SecretStore.ts";
import { memoryStore } from "../helpers/memoryStore.ts";

const OLD = { accessKeyId: "AKIAOLD0000000000001", secretAccessKey: "old/secret" };
const USER_ARN = "arn:aws:iam::111111111111:user/alice";

interface FakeIam extends IamClient {
  keys: Map<string, string>;
  log: string[];
  failDelete?: (id: string) => boolean;
}

function fakeIam(): FakeIam {
  let n = 0;
  const iam: FakeIam = {
    keys: new Map([[OLD.accessKeyId, OLD.secretAccessKey]]),
    log: [],
    listAccessKeys() {
      iam.log.push("ListAccessKeys");
      return Promise.resolve({
        userName: "alice",
        keys: [...iam.keys.keys()].map((accessKeyId) => ({ accessKeyId, status: "Active" })),
      });
    },
    createAccessKey() {
      iam.log.push("CreateAccessKey");
      if (iam.keys.size >= 2) return Promise.reject(new AwsmfaError("E_IAM", "LimitExceeded"));
      n++;
      const id = `AKIANEWKEY00000${String(n)}NEW`;
      iam.keys.set(id, `new/secret/${String(n)}`);
      return Promise.resolve({
        userName: "alice",
        accessKeyId: id,
        secretAccessKey: `new/secret/${String(n)}`,
      });
    },
    deleteAccessKey(id) {
      iam.log.push(`DeleteAccessKey ${id.slice(-4)}`);
      if (iam.failDelete?.(id) === true) {
        return Promise.reject(
          new AwsmfaError("E_IAM", "IAM DeleteAccessKey failed with AccessDenied."),
        );
      }
      iam.keys.delete(id);
      return Promise.resolve();
    },
  };
  return iam;
}

const unknownKey = () =>
  new StsError({
    kind: "invalid-client-token",
    operation: "GetCallerIdentity",
    awsCode: "InvalidClientTokenId",
    awsMessage: "The security token included in the request is invalid.",
    endpoint: "http://sts",
  });

async function setUp(
  callerIdentity: (keys: AwsCredentials) => Promise<CallerIdentity> = () =>
    Promise.resolve({ account: "111111111111", arn: USER_ARN, userId: "AIDA" }),
  store: SecretStore = memoryStore(),
) {
  await store.set("keys", "alice", JSON.stringify(OLD));
  await store.set("keys", "alice-copy", JSON.stringify(OLD));
  await store.set("keys", "bob", JSON.stringify({ accessKeyId: "AKIABOB", secretAccessKey: "b" }));
  await store.set("session", "session|alice|arn:aws:iam::111111111111:mfa/alice|43200", "{}");
  await store.set("session", "role|admin|arn:aws:iam::1:role/admin|3600|alice||abcd", "{}");
  await store.set("session", "session|bob||43200", "{}");
  const iam = fakeIam();
  const sleeps: number[] = [];
  const deps: RotateDeps = {
    store,
    clock: fixedClock(Date.parse("2026-01-01T00:00:00Z")),
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    iam,
    callerIdentity,
    debug: () => undefined,
  };
  const keysOf = async (name: string) => parseStoredKeys((await store.get("keys", name)) ?? "");
  return { store, iam, deps, sleeps, keysOf };
}

describe("rotateKeys", () => {
  it("creates, stores (for every profile holding the key), proves, drops its sessions, then deletes the old key", async () => {
    const { iam, deps, keysOf, store } = await setUp();
    const r = await rotateKeys(deps, { profile: "alice" });
    assert.deepEqual(iam.log, ["ListAccessKeys", "CreateAccessKey", "DeleteAccessKey 0001"]);
    assert.deepEqual([...iam.keys.keys()], [r.newKeyId]);
    assert.equal((await keysOf("alice"))?.accessKeyId, r.newKeyId);
    assert.equal((await keysOf("alice-copy"))?.accessKeyId, r.newKeyId);
    assert.equal((await keysOf("alice"))?.addedAt, "2026-01-01T00:00:00.000Z");
    assert.equal((await keysOf("bob"))?.accessKeyId, "AKIABOB");
    assert.deepEqual(r.profiles, ["alice", "alice-copy"]);
    assert.equal(r.clearedSessions.length, 2);
    assert.deepEqual(
      (await store.list("session")).map((s) => s.name),
      ["session|bob||43200"],
    );
  });

  it("two keys already: refuses before making anything", async () => {
    const { iam, deps, keysOf } = await setUp();
    iam.keys.set("AKIAOTHER00000000009", "x");
    await assert.rejects(rotateKeys(deps, { profile: "alice" }), (e: unknown) => {
      assert.ok(e instanceof AwsmfaError);
      assert.equal(e.code, "E_ROTATE_TWO_KEYS");
      assert.match(e.message, /two access keys already \(\*\*\*\*0001.*\*\*\*\*0009\)/);
      assert.match(e.hint ?? "", /Nothing was changed/);
      return true;
    });
    assert.deepEqual(iam.log, ["ListAccessKeys"]);
    assert.equal((await keysOf("alice"))?.accessKeyId, OLD.accessKeyId);
  });

  it("retries GetCallerIdentity while the new key is unknown (IAM's eventual consistency), with growing waits", async () => {
    let calls = 0;
    const { deps, sleeps, iam } = await setUp((keys) => {
      calls++;
      assert.match(keys.accessKeyId, /^AKIANEW/, "proved with the new key");
      return calls < 3
        ? Promise.reject(unknownKey())
        : Promise.resolve({ account: "1", arn: USER_ARN, userId: "A" });
    });
    await rotateKeys(deps, { profile: "alice" });
    assert.equal(calls, 3);
    assert.deepEqual(sleeps, [1000, 2000]);
    assert.equal(iam.keys.has(OLD.accessKeyId), false);
  });

  it("rolls back when the new key never works: new key deleted, old key stored and kept, sessions kept", async () => {
    const { deps, iam, keysOf, store, sleeps } = await setUp(() => Promise.reject(unknownKey()));
    await assert.rejects(
      rotateKeys(deps, { profile: "alice", verifyAttempts: 3 }),
      (e: unknown) => {
        assert.ok(e instanceof AwsmfaError);
        assert.match(e.hint ?? "", /^Rolled back: the old key \*\*\*\*0001 is stored and active/);
        return true;
      },
    );
    assert.equal(sleeps.length, 2);
    assert.deepEqual([...iam.keys.keys()], [OLD.accessKeyId]);
    assert.deepEqual(iam.log, ["ListAccessKeys", "CreateAccessKey", "DeleteAccessKey 1NEW"]);
    assert.equal((await keysOf("alice"))?.accessKeyId, OLD.accessKeyId);
    assert.equal((await keysOf("alice-copy"))?.accessKeyId, OLD.accessKeyId);
    assert.equal((await store.list("session")).length, 3);
  });

  it("a key that signs as another user is a failure, not retried", async () => {
    let calls = 0;
    const { deps, iam } = await setUp(() => {
      calls++;
      return Promise.resolve({ account: "2", arn: "arn:aws:iam::2:user/mallory", userId: "A" });
    });
    await assert.rejects(
      rotateKeys(deps, { profile: "alice" }),
      /signs as arn:aws:iam::2:user\/mallory/,
    );
    assert.equal(calls, 1);
    assert.deepEqual([...iam.keys.keys()], [OLD.accessKeyId]);
  });

  it("rolls back when the old key cannot be deleted", async () => {
    const { deps, iam, keysOf } = await setUp();
    iam.failDelete = (id) => id === OLD.accessKeyId;
    await assert.rejects(rotateKeys(deps, { profile: "alice" }), (e: unknown) => {
      assert.ok(e instanceof AwsmfaError);
      assert.match(e.message, /DeleteAccessKey failed with AccessDenied/);
      assert.match(e.hint ?? "", /^Rolled back/);
      return true;
    });
    assert.deepEqual([...iam.keys.keys()], [OLD.accessKeyId]);
    assert.equal((await keysOf("alice"))?.accessKeyId, OLD.accessKeyId);
  });

  it("rolls back when the store cannot take the new key", async () => {
    const inner = memoryStore();
    let failing = false;
    const store: SecretStore = {
      ...inner,
      set: (kind, name, value) =>
        failing && name === "alice-copy"
          ? Promise.reject(new AwsmfaError("E_KEYRING", "the store is read-only"))
          : inner.set(kind, name, value),
    };
    const { deps, iam, keysOf } = await setUp(undefined, store);
    failing = true;
    await assert.rejects(rotateKeys(deps, { profile: "alice" }), /the store is read-only/);
    assert.deepEqual([...iam.keys.keys()], [OLD.accessKeyId]);
    assert.equal(
      (await keysOf("alice"))?.accessKeyId,
      OLD.accessKeyId,
      "the first profile is restored",
    );
  });

  it("says what it could not undo when the rollback fails too", async () => {
    const { deps, iam } = await setUp(() =>
      Promise.reject(new AwsmfaError("E_STS_UNREACHABLE", "STS is down")),
    );
    iam.failDelete = () => true;
    await assert.rejects(rotateKeys(deps, { profile: "alice" }), (e: unknown) => {
      assert.ok(e instanceof AwsmfaError);
      assert.equal(e.message, "STS is down");
      assert.match(
        e.hint ?? "",
        /^Rollback incomplete: the new key \*\*\*\*1NEW still exists at IAM/,
      );
      return true;
    });
    assert.equal(iam.keys.size, 2);
  });

  it("a stored key IAM does not know: refused before making anything", async () => {
    const { deps, iam } = await setUp();
    iam.keys = new Map([["AKIASOMEOTHER0000002", "x"]]);
    await assert.rejects(rotateKeys(deps, { profile: "alice" }), /has no access key \*\*\*\*0001/);
    assert.deepEqual(iam.log, ["ListAccessKeys"]);
  });
});
