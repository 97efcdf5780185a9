/** The wait for an iam_user lease's key at STS is bounded, and only "not known yet" is waited out. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { StsClient } from "../../src/aws/StsClient.ts";
import { StsError } from "../../src/aws/StsError.ts";
import { isAwsmfaError } from "../../src/errors.ts";
import { waitUntilUsable } from "../../src/vault/waitUntilUsable.ts";

const creds = { accessKeyId: "AKIAFAKEVAULT0000001", secretAccessKey: "x" };

function sts(failures: StsError[]): StsClient & { calls: number } {
  const c = {
    calls: 0,
    getSessionToken: () => Promise.reject(new Error("not used")),
    assumeRole: () => Promise.reject(new Error("not used")),
    getCallerIdentity() {
      c.calls++;
      const f = failures.shift();
      return f === undefined
        ? Promise.resolve({ account: "1", arn: "arn:aws:iam::1:user/v", userId: "A" })
        : Promise.reject(f);
    },
  };
  return c;
}
const unknownKey = () =>
  new StsError({
    kind: "invalid-client-token",
    operation: "GetCallerIdentity",
    awsCode: "InvalidClientTokenId",
    awsMessage: "x",
    endpoint: "http://127.0.0.1:1",
  });

test("retries while STS does not know the key, then returns", async () => {
  const slept: number[] = [];
  const s = sts([unknownKey(), unknownKey()]);
  await waitUntilUsable(
    s,
    creds,
    "profile v",
    (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    () => undefined,
    [1, 2, 3],
  );
  assert.equal(s.calls, 3);
  assert.deepEqual(slept, [1, 2]);
});

test("gives up after the last wait with a message naming the key's last four and the profile", async () => {
  const s = sts([unknownKey(), unknownKey(), unknownKey(), unknownKey()]);
  await assert.rejects(
    waitUntilUsable(
      s,
      creds,
      "profile v",
      () => Promise.resolve(),
      () => undefined,
      [1, 2],
    ),
    (e: unknown) =>
      isAwsmfaError(e) &&
      e.code === "E_VAULT_KEY_NOT_USABLE" &&
      e.message.includes("****0001") &&
      e.message.includes("profile v") &&
      !e.message.includes(creds.accessKeyId),
  );
  assert.equal(s.calls, 3);
});

test("any other STS failure is not waited out", async () => {
  const denied = new StsError({
    kind: "access-denied",
    operation: "GetCallerIdentity",
    awsCode: "AccessDenied",
    awsMessage: "no",
    endpoint: "http://127.0.0.1:1",
  });
  const s = sts([denied]);
  await assert.rejects(
    waitUntilUsable(
      s,
      creds,
      "profile v",
      () => Promise.resolve(),
      () => undefined,
      [1],
    ),
    (e: unknown) => e === denied,
  );
  assert.equal(s.calls, 1);
});
