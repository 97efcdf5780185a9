/**
 * regression (#9 item 12): with this computer's clock 10 minutes ahead of
 * AWS, the MFA path (one attempt: a TOTP code is never sent twice, so the
 * SDK cannot retry with its skew corrected) said "the secret key does not
 * belong to the key id". The engine, the real SDK adapter and fake-aws
 * (real SigV4, and a Date header from its own clock, set 10 minutes back).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeAws, type FakeAws } from "../../fake-aws/server.ts";
import { manualClock } from "../../fake-aws/clock.ts";
import { loadAwsConfig } from "../../src/config/loadAwsConfig.ts";
import { stsFactory } from "../../src/aws/stsFactory.ts";
import { getCredentials } from "../../src/credentials/getCredentials.ts";
import { AwsmfaError } from "../../src/errors.ts";
import { systemClock } from "../../src/platform/clock.ts";
import { memoryStore } from "../helpers/memoryStore.ts";

const ALICE = {
  accessKeyId: "AKIAFAKEALICE0000001",
  secretAccessKey: "fake/alice/secret/key/not/real/000000001",
};
const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
const TEN_MINUTES = 10 * 60_000;

let fake: FakeAws;
let dir: string;

before(async () => {
  // AWS's time is 10 minutes behind ours: we are 10 minutes ahead.
  fake = await startFakeAws({
    world: join(import.meta.dirname, "../../fake-aws/worlds/example.json"),
    clock: manualClock(Date.now() - TEN_MINUTES),
  });
  dir = mkdtempSync(join(tmpdir(), "awsmfa-skew-"));
  writeFileSync(join(dir, "config"), `[profile alice]\nmfa_serial = ${ALICE_MFA}\n`);
});
after(async () => {
  await fake.stop();
});

test("regression (#9 item 12): a clock 10 minutes ahead on the MFA path is diagnosed as the clock, from STS's Date header", async () => {
  const env = {
    AWS_CONFIG_FILE: join(dir, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    AWS_ENDPOINT_URL_STS: fake.url,
    USER: "alice",
  };
  const store = memoryStore();
  await store.set("keys", "alice", JSON.stringify(ALICE));
  const deps = {
    clock: systemClock,
    env,
    homedir: dir,
    config: await loadAwsConfig({ env, homedir: dir }),
    store,
    lockDir: mkdtempSync(join(tmpdir(), "awsmfa-locks-")),
    debug: () => undefined,
    warn: (m: string) => assert.fail(`unexpected warning: ${m}`),
    mfa: { prompt: () => Promise.reject(new AwsmfaError("E_NO_TTY", "no terminal in tests")) },
    runProcess: () => Promise.reject(new Error("no process expected")),
    sts: stsFactory,
  };
  const code = fake.freshTotp(ALICE_MFA);
  await assert.rejects(getCredentials(deps, { profile: "alice", mfaToken: code }), (e: unknown) => {
    assert.ok(e instanceof AwsmfaError, String(e));
    assert.equal(e.code, "E_CLOCK_SKEW", e.message);
    assert.match(e.message, /this computer's clock is 10 min ahead of STS's/);
    assert.doesNotMatch(e.message, /secret key/);
    assert.match(e.hint ?? "", /clock/);
    return true;
  });
  const calls = fake.calls();
  assert.equal(calls.length, 1, "one attempt: the code is never sent twice");
  const [call] = calls;
  assert.ok(call !== undefined);
  assert.equal(call.errorCode, "SignatureDoesNotMatch");
  assert.notEqual(call.mfaCodeUsed, true, "the code was not spent");
});
