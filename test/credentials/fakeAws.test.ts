/**
 * The engine against fake-aws (real SigV4, TOTP, call log) through the real
 * SDK adapter: the seed 000 layout end to end, MFA failures, cache expiry,
 * duration limits, external ids, a dead lock holder, and 16 processes on a
 * cold cache producing one MFA use.
 */
import { afterEach, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeAws, type FakeAws } from "../../fake-aws/server.ts";
import { manualClock, type ManualClock } from "../../fake-aws/clock.ts";
import { loadAwsConfig } from "../../src/config/loadAwsConfig.ts";
import type { AwsConfig } from "../../src/config/types.ts";
import { stsFactory } from "../../src/aws/stsFactory.ts";
import { getCredentials, lockPath, planCredentials } from "../../src/credentials/getCredentials.ts";
import { clearSessions } from "../../src/credentials/sessionCache.ts";
import type { EngineDeps, ResolvedCredentials } from "../../src/credentials/types.ts";
import { AwsmfaError } from "../../src/errors.ts";
import type { SecretStore } from "../../src/store/SecretStore.ts";
import { fileStore } from "../../src/store/file/fileStore.ts";
import { memoryStore } from "../helpers/memoryStore.ts";
import { fixedClock } from "../helpers/fixedClock.ts";

const ALICE = {
  accessKeyId: "AKIAFAKEALICE0000001",
  secretAccessKey: "fake/alice/secret/key/not/real/000000001",
};
const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";

const CONFIG = `; seed 000, with awsmfa in place of aws-vault
[profile caktus]
credential_process = awsmfa export --no-session --format credential-process caktus

[profile caktus-mfa]
mfa_serial = ${ALICE_MFA}
source_profile = caktus
region = us-east-1
output = json

[profile admin]
role_arn = arn:aws:iam::111111111111:role/admin
source_profile = caktus-mfa
region = us-east-1

[profile cross]
role_arn = arn:aws:iam::222222222222:role/cross-admin
source_profile = caktus-mfa

[profile deploy]
role_arn = arn:aws:iam::111111111111:role/deploy
source_profile = admin

[profile partner]
role_arn = arn:aws:iam::111111111111:role/partner
source_profile = caktus
external_id = fake-external-id-0001

[profile partner-noid]
role_arn = arn:aws:iam::111111111111:role/partner
source_profile = caktus
`;

let fake: FakeAws;
let fakeClock: ManualClock;
let dir: string;
let env: Record<string, string>;
let config: AwsConfig;

// A fake per test, on a clock that starts at real time (the SDK signs with
// real time) and moves 30 s when a test needs another code from the same window.
beforeEach(async () => {
  fakeClock = manualClock(Date.now());
  fake = await startFakeAws({
    world: join(import.meta.dirname, "../../fake-aws/worlds/example.json"),
    clock: fakeClock,
  });
  env.AWS_ENDPOINT_URL_STS = fake.url;
});

afterEach(async () => {
  await fake.stop();
});

function freshCode(): string {
  try {
    return fake.freshTotp(ALICE_MFA);
  } catch {
    fakeClock.advance(30_000);
    return fake.freshTotp(ALICE_MFA);
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "awsmfa-engine-"));
  writeFileSync(join(dir, "config"), CONFIG);
  env = {
    AWS_CONFIG_FILE: join(dir, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    AWS_ENDPOINT_URL_STS: "http://127.0.0.1:9",
    USER: "alice",
  };
  config = await loadAwsConfig({ env, homedir: dir });
});

async function deps(
  store?: SecretStore,
): Promise<EngineDeps & { clock: ReturnType<typeof fixedClock> }> {
  const s = store ?? memoryStore();
  await s.set("keys", "caktus", JSON.stringify(ALICE));
  return {
    clock: fixedClock(Date.now()),
    env,
    homedir: dir,
    config,
    store: s,
    lockDir: mkdtempSync(join(tmpdir(), "awsmfa-locks-")),
    debug: () => undefined,
    warn: (m) => assert.fail(`unexpected warning: ${m}`),
    mfa: { prompt: () => Promise.reject(new AwsmfaError("E_NO_TTY", "no terminal in tests")) },
    runProcess: () => Promise.reject(new Error("no process expected")),
    sts: stsFactory,
  };
}

const since = (n: number) => fake.calls().slice(n);
const mark = () => fake.calls().length;
const whoAmI = async (c: ResolvedCredentials) =>
  (
    await stsFactory({
      credentials: {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
      },
      region: "us-east-1",
      endpoint: fake.url,
    }).getCallerIdentity()
  ).arn;
const wrong = (code: string) => String((Number(code) + 500_000) % 1_000_000).padStart(6, "0");

async function rejectsCode(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AwsmfaError, String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
}

test("seed 000 end to end: one GetSessionToken with MFA, then AssumeRole per role, then the cache", async () => {
  const d = await deps();
  const m = mark();
  const admin = await getCredentials(d, { profile: "admin", mfaToken: freshCode() });
  assert.equal(admin.source, "role");
  assert.equal(await whoAmI(admin), "arn:aws:sts::111111111111:assumed-role/admin/alice");
  const cross = await getCredentials(d, { profile: "cross" });
  assert.equal(await whoAmI(cross), "arn:aws:sts::222222222222:assumed-role/cross-admin/alice");
  const again = await getCredentials(d, { profile: "admin" });
  assert.deepEqual(again, admin);
  const sts = since(m).filter((c) => c.action !== "GetCallerIdentity");
  assert.deepEqual(
    sts.map((c) => [c.action, c.ok, c.mfaCodeUsed ?? false]),
    [
      ["GetSessionToken", true, true],
      ["AssumeRole", true, false],
      ["AssumeRole", true, false],
    ],
  );
  assert.equal(sts[0]?.durationSeconds, 28800);
  assert.equal(sts[1]?.mfaPresent, true, "AssumeRole signed with the MFA session");
  // The base profile for its credential_process: the stored keys, no STS call.
  assert.deepEqual(await getCredentials(d, { profile: "caktus", noSession: true }), {
    ...ALICE,
    source: "stored-keys",
  });
});

test("a wrong code and a reused code are rejected and cache nothing", async () => {
  const d = await deps();
  const code = freshCode();
  await rejectsCode(
    getCredentials(d, { profile: "caktus-mfa", mfaToken: wrong(code) }),
    "E_MFA_REJECTED",
  );
  assert.deepEqual(await d.store.list("session"), []);
  const s = await getCredentials(d, { profile: "caktus-mfa", mfaToken: code });
  assert.equal(s.source, "session");
  assert.equal(await whoAmI(s), "arn:aws:iam::111111111111:user/alice");
  await clearSessions(d.store);
  await rejectsCode(getCredentials(d, { profile: "caktus-mfa", mfaToken: code }), "E_MFA_REJECTED");
  assert.deepEqual(await d.store.list("session"), []);
});

test("an expired cached session is refreshed, not returned", async () => {
  const d = await deps();
  const m = mark();
  await getCredentials(d, { profile: "admin", mfaToken: freshCode() });
  d.clock.advance(8 * 3600_000);
  const fresh = await getCredentials(d, { profile: "admin", mfaToken: freshCode() });
  assert.equal(await whoAmI(fresh), "arn:aws:sts::111111111111:assumed-role/admin/alice");
  assert.deepEqual(
    since(m)
      .filter((c) => c.action !== "GetCallerIdentity")
      .map((c) => c.action),
    ["GetSessionToken", "AssumeRole", "GetSessionToken", "AssumeRole"],
  );
});

test("durations: over 1h assumes directly with MFA; chained roles are capped before any call", async () => {
  const d = await deps();
  let m = mark();
  const long = await getCredentials(d, {
    profile: "admin",
    durationSeconds: 7200,
    mfaToken: freshCode(),
  });
  assert.equal(
    long.expiration !== undefined && long.expiration.getTime() - Date.now() > 7000_000,
    true,
  );
  assert.deepEqual(
    since(m).map((c) => [c.action, c.durationSeconds, c.serialNumber, c.mfaCodeUsed]),
    [["AssumeRole", 7200, ALICE_MFA, true]],
  );
  m = mark();
  await rejectsCode(
    getCredentials(d, {
      profile: "deploy",
      durationSeconds: 7200,
      mfaToken: freshCode(),
    }),
    "E_BAD_DURATION",
  );
  assert.equal(since(m).length, 0);
  const deploy = await getCredentials(d, {
    profile: "deploy",
    mfaToken: freshCode(),
  });
  assert.equal(await whoAmI(deploy), "arn:aws:sts::111111111111:assumed-role/deploy/alice");
  assert.deepEqual(
    since(m)
      .filter((c) => c.action !== "GetCallerIdentity")
      .map((c) => [c.action, c.durationSeconds]),
    [
      ["GetSessionToken", 28800],
      ["AssumeRole", 3600],
      ["AssumeRole", 3600],
    ],
  );
});

test("external_id is sent; without it the trust policy denies with a hint", async () => {
  const d = await deps();
  const partner = await getCredentials(d, { profile: "partner" });
  assert.equal(await whoAmI(partner), "arn:aws:sts::111111111111:assumed-role/partner/alice");
  assert.equal(
    fake
      .calls()
      .filter((c) => c.action === "AssumeRole")
      .at(-1)?.externalIdSent,
    true,
  );
  await assert.rejects(getCredentials(d, { profile: "partner-noid" }), (e: unknown) => {
    assert.ok(e instanceof AwsmfaError);
    assert.equal(e.code, "E_STS_ACCESS_DENIED");
    assert.match(e.hint ?? "", /external id/);
    return true;
  });
});

test("an unreachable endpoint fails fast with the endpoint named", async () => {
  const d = await deps();
  const closed = { ...d, env: { ...env, AWS_ENDPOINT_URL_STS: "http://127.0.0.1:9" } };
  await assert.rejects(getCredentials(closed, { profile: "partner" }), (e: unknown) => {
    assert.ok(e instanceof AwsmfaError);
    assert.equal(e.code, "E_STS_UNREACHABLE", e.message);
    assert.match(e.message, /http:\/\/127\.0\.0\.1:9/);
    return true;
  });
});

test("a session lock left by a killed process is taken over", async () => {
  const d = await deps();
  const plan = planCredentials(
    config,
    { profile: "caktus-mfa" },
    { storedKeys: new Set(["caktus"]), env },
  );
  const key = plan.steps[0]?.cacheKey ?? "";
  const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
  writeFileSync(
    `${lockPath(d.lockDir, key)}.lock`,
    JSON.stringify({ pid: dead, host: hostname(), nonce: "dead-owner", createdAt: Date.now() }),
  );
  const s = await getCredentials(
    { ...d, lockTimeoutMs: 5000 },
    { profile: "caktus-mfa", mfaToken: freshCode() },
  );
  assert.equal(s.source, "session");
});

test("16 processes on a cold cache: one MFA code use, one GetSessionToken, identical credentials", async () => {
  const storeDir = join(dir, "store16");
  const passphrase = "test-passphrase-16";
  const store = fileStore({
    dir: storeDir,
    passphrase: () => Promise.resolve(passphrase),
    clock: fixedClock(Date.now()),
    scrypt: { N: 2 ** 10, r: 8, p: 1 },
  });
  await store.set("keys", "caktus", JSON.stringify(ALICE));
  const childEnv = {
    ...process.env,
    ...env,
    AWSMFA_FILE_DIR: storeDir,
    AWSMFA_FILE_PASSPHRASE: passphrase,
    AWSMFA_LOCK_DIR: join(dir, "locks16"),
  };
  const code = freshCode();
  const m = mark();
  const driver = join(import.meta.dirname, "driver.ts");
  const run = () =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", driver, "admin", code], {
        env: childEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (b: Buffer) => (out += b.toString()));
      child.stderr.on("data", (b: Buffer) => (err += b.toString()));
      child.on("close", (c) => {
        resolve({ code: c, out, err });
      });
    });
  const results = await Promise.all(Array.from({ length: 16 }, run));
  for (const r of results) assert.equal(r.code, 0, r.err);
  const outs = new Set(results.map((r) => r.out));
  assert.equal(outs.size, 1, "every process got the same credentials");
  const calls = since(m);
  assert.equal(calls.filter((c) => c.action === "GetSessionToken").length, 1);
  assert.equal(calls.filter((c) => c.mfaCodeSent === true).length, 1);
  assert.equal(calls.filter((c) => c.action === "AssumeRole").length, 1);
  assert.ok(calls.every((c) => c.ok));
});
