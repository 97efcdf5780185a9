import { test } from "node:test";
import assert from "node:assert/strict";
import { getCredentials } from "../../src/credentials/getCredentials.ts";
import { clearSessions } from "../../src/credentials/sessionCache.ts";
import type { RunProcess } from "../../src/platform/RunProcess.ts";
import {
  ALICE_KEYS,
  ALICE_MFA,
  makeConfig,
  makeDeps,
  prof,
  seed000Config,
  storeKeys,
  stsDouble,
  type TestDeps,
} from "./helpers.ts";
import { memoryStore } from "../helpers/memoryStore.ts";

const HOUR = 3_600_000;

async function rejectsCode(p: Promise<unknown>, code: string): Promise<Error> {
  let caught: unknown;
  await assert.rejects(p, (e: unknown) => {
    caught = e;
    assert.ok(e instanceof Error && "code" in e, String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
  if (!(caught instanceof Error)) throw new Error("unreachable");
  return caught;
}

/** Nothing secret ever reaches --debug. */
function assertNoSecrets(deps: TestDeps): void {
  for (const line of deps.debugLines) {
    assert.doesNotMatch(
      line,
      /secret-\d|token-\d|alice-secret|AKIAFAKEALICE0000001|ASIATEST\d{12}|123456|654321/,
      line,
    );
  }
}

async function seeded() {
  const config = seed000Config();
  const store = memoryStore();
  await storeKeys(store, "caktus");
  return { config, store };
}

test("seed 000 end to end: one MFA session shared by every role, then all from the cache", async () => {
  const { config, store } = await seeded();
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store });
  const sts = stsDouble(deps.clock);
  const d = { ...deps, sts: sts.factory };

  const first = await getCredentials(d, { profile: "saguaro-cluster", mfaToken: "123456" });
  assert.equal(first.source, "role");
  assert.equal(first.region, "us-east-1");
  assert.ok(first.sessionToken !== undefined && first.expiration !== undefined);
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole"]);
  const [gst, ar] = sts.calls;
  assert.equal(
    gst?.signer,
    ALICE_KEYS.accessKeyId,
    "GetSessionToken is signed with the stored keys",
  );
  assert.deepEqual(gst.input, {
    durationSeconds: 28800,
    serialNumber: ALICE_MFA,
    tokenCode: "123456",
  });
  assert.match(ar?.signer ?? "", /^ASIATEST/, "AssumeRole is signed with the session");
  assert.equal(ar?.endpoint, "https://sts.us-east-1.amazonaws.com");
  assert.deepEqual(ar.input, {
    roleArn: "arn:aws:iam::222222222222:role/CaktusAccountAccessRole-Admins",
    roleSessionName: "alice",
    durationSeconds: 3600,
  });

  // Another role from the same *-mfa profile: no prompt, one AssumeRole.
  const other = await getCredentials(d, { profile: "other-role" });
  assert.equal(other.source, "role");
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole", "AssumeRole"]);
  assert.deepEqual(d.prompts, []);

  // Again, 30 minutes later: straight from the cache, no STS at all.
  d.clock.advance(HOUR / 2);
  const again = await getCredentials(d, { profile: "saguaro-cluster" });
  assert.deepEqual(again, first);
  assert.equal(sts.calls.length, 3);
  assert.ok(
    d.debugLines.some((l) =>
      /^reusing cached role credentials for profile saguaro-cluster .*, 30m left$/.test(l),
    ),
    d.debugLines.join("\n"),
  );

  // The *-mfa profile itself: the same (caktus, device) session serves it,
  // whatever duration it was fetched with: no prompt, no STS call.
  const mfaSession = await getCredentials(d, { profile: "caktus-mfa" });
  assert.equal(mfaSession.source, "session");
  assert.equal(sts.calls.length, 3);
  assert.deepEqual(d.prompts, []);

  // Once cleared, it is asked for on the terminal (spaces forgiven), 1h as it is used as is.
  await clearSessions(store, "caktus");
  const d2 = {
    ...d,
    mfa: {
      prompt: (q: string) => {
        d.prompts.push(q);
        return Promise.resolve(" 654 321 ");
      },
    },
  };
  sts.addCode("654321");
  const fresh = await getCredentials(d2, { profile: "caktus-mfa" });
  assert.equal(fresh.source, "session");
  assert.deepEqual(d.prompts, [`Enter MFA code for ${ALICE_MFA}: `]);
  assert.deepEqual(sts.calls.at(-1)?.input, {
    durationSeconds: 3600,
    serialNumber: ALICE_MFA,
    tokenCode: "654321",
  });

  // --no-session on the base profile: the stored keys themselves (what credential_process asks for).
  const base = await getCredentials(d, { profile: "caktus", noSession: true });
  assert.deepEqual(base, { ...ALICE_KEYS, source: "stored-keys" });
  assertNoSecrets(d);
});

test("a cached session is reused while more than 5 minutes remain, then refreshed", async () => {
  const { config, store } = await seeded();
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, {
    store,
    promptAnswers: ["111111", "222222"],
  });
  const sts = stsDouble(deps.clock, ["111111", "222222"]);
  const d = { ...deps, sts: sts.factory };
  await getCredentials(d, { profile: "saguaro-cluster" });
  d.clock.advance(7 * HOUR + 54 * 60_000); // 6 minutes left on the session; the role expired long ago
  await getCredentials(d, { profile: "saguaro-cluster" });
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole", "AssumeRole"]);
  assert.ok(
    d.debugLines.some((l) =>
      /^reusing cached session for caktus\/arn:aws:iam::111111111111:mfa\/alice, 6m left$/.test(l),
    ),
    d.debugLines.join("\n"),
  );
  await clearSessions(store, "saguaro-cluster"); // the role only
  d.clock.advance(2 * 60_000); // 4 minutes left on the session: not handed out, not used
  await getCredentials(d, { profile: "saguaro-cluster" });
  assert.deepEqual(sts.ops(), [
    "GetSessionToken",
    "AssumeRole",
    "AssumeRole",
    "GetSessionToken",
    "AssumeRole",
  ]);
  assert.equal(d.prompts.length, 2);
});

test("a cached session that STS rejects is dropped and refreshed, not returned", async () => {
  const { config, store } = await seeded();
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, {
    store,
    promptAnswers: ["222222"],
  });
  const sts = stsDouble(deps.clock, ["111111", "222222"]);
  const d = { ...deps, sts: sts.factory };
  await getCredentials(d, { profile: "saguaro-cluster", mfaToken: "111111" });
  const sessionKey = sts.calls[1]?.signer ?? "";
  sts.revoke(sessionKey);
  d.clock.advance(2 * HOUR); // role expired; session still "valid" by its expiry, but revoked
  const creds = await getCredentials(d, { profile: "saguaro-cluster" });
  assert.equal(creds.source, "role");
  assert.deepEqual(sts.ops(), [
    "GetSessionToken",
    "AssumeRole",
    "AssumeRole",
    "GetSessionToken",
    "AssumeRole",
  ]);
  assert.notEqual(sts.calls[4]?.signer, sessionKey);
  assert.ok(
    d.debugLines.some((l) => l.includes("was rejected (InvalidClientTokenId); dropping it")),
  );
});

test("a wrong MFA code says so and caches nothing; a bad-shaped one is never sent", async () => {
  const { config, store } = await seeded();
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store });
  const sts = stsDouble(deps.clock, ["123456"]);
  const d = { ...deps, sts: sts.factory };
  const e = await rejectsCode(
    getCredentials(d, { profile: "saguaro-cluster", mfaToken: "000000" }),
    "E_MFA_REJECTED",
  );
  assert.match(e.message, /rejected the MFA code for arn:aws:iam::111111111111:mfa\/alice/);
  assert.ok(
    "hint" in e &&
      typeof e.hint === "string" &&
      /wrong or already used; wait for the next code/.test(e.hint),
  );
  assert.doesNotMatch(e.message, /000000/);
  assert.deepEqual(await store.list("session"), []);
  assert.deepEqual(sts.ops(), ["GetSessionToken"]);

  await rejectsCode(
    getCredentials(d, { profile: "saguaro-cluster", mfaToken: "12345" }),
    "E_BAD_MFA_CODE",
  );
  await rejectsCode(
    getCredentials(d, { profile: "saguaro-cluster", mfaToken: "abcdef" }),
    "E_BAD_MFA_CODE",
  );
  assert.equal(sts.calls.length, 1, "nothing was sent for malformed codes");

  // A reused code is rejected by STS like a wrong one.
  await getCredentials(d, { profile: "caktus-mfa", mfaToken: "123456" });
  await clearSessions(store);
  await rejectsCode(
    getCredentials(d, { profile: "caktus-mfa", mfaToken: "123456" }),
    "E_MFA_REJECTED",
  );
});

test("no terminal and no --mfa-token: a clear error naming both ways out", async () => {
  const { config, store } = await seeded();
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store });
  const sts = stsDouble(deps.clock);
  const e = await rejectsCode(
    getCredentials({ ...deps, sts: sts.factory }, { profile: "saguaro-cluster" }),
    "E_MFA_NO_TERMINAL",
  );
  assert.ok(
    "hint" in e &&
      typeof e.hint === "string" &&
      e.hint.includes("--mfa-token") &&
      e.hint.includes("mfa_process"),
  );
  assert.deepEqual(sts.calls, []);
});

test("mfa_process: its trimmed stdout is the code; run with our env and a timeout", async () => {
  const config = makeConfig(
    prof("default"),
    prof("admin", {
      roleArn: "arn:aws:iam::111111111111:role/admin",
      sourceProfile: "default",
      mfaSerial: ALICE_MFA,
      mfaProcess: "ykman oath accounts code -s 'AWS alice'",
    }),
  );
  const store = memoryStore();
  await storeKeys(store, "default");
  const ran: { command: string; what: string; timeoutMs: number }[] = [];
  const runProcess: RunProcess = (command, o) => {
    ran.push({ command, what: o.what, timeoutMs: o.timeoutMs });
    return Promise.resolve({ stdout: "654321\n", code: 0 });
  };
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store, runProcess });
  const sts = stsDouble(deps.clock, ["654321"]);
  const creds = await getCredentials({ ...deps, sts: sts.factory }, { profile: "admin" });
  assert.equal(creds.source, "role");
  assert.equal(ran.length, 1);
  assert.equal(ran[0]?.command, "ykman oath accounts code -s 'AWS alice'");
  assert.match(ran[0].what, /^mfa_process of profile admin \(.*config:\d+\)$/);
  assert.deepEqual(deps.prompts, []);

  const failing: RunProcess = () => Promise.resolve({ stdout: "", code: 1 });
  const deps2 = makeDeps(config, sts.factory, { store: memoryStore(), runProcess: failing });
  await storeKeys(deps2.store, "default");
  await rejectsCode(getCredentials(deps2, { profile: "admin" }), "E_MFA_PROCESS_FAILED");
  const garbage: RunProcess = () => Promise.resolve({ stdout: "touch your key\n", code: 0 });
  const deps3 = makeDeps(config, sts.factory, { store: memoryStore(), runProcess: garbage });
  await storeKeys(deps3.store, "default");
  await rejectsCode(getCredentials(deps3, { profile: "admin" }), "E_BAD_MFA_CODE");
});

test("credential_process: stored keys win over one calling awsmfa back; others run with a recursion guard, without the store passphrase (regression #9 item 13)", async () => {
  const { config, store } = await seeded();
  let ran = 0;
  const never: RunProcess = () => {
    ran++;
    return Promise.reject(new Error("must not run"));
  };
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store, runProcess: never });
  const sts = stsDouble(deps.clock);
  await getCredentials(
    { ...deps, sts: sts.factory },
    { profile: "saguaro-cluster", mfaToken: "123456" },
  );
  assert.equal(ran, 0);

  const vault = makeConfig(
    prof("base", { credentialProcess: "aws-vault exec --no-session --json base" }),
    prof("mfa", { mfaSerial: ALICE_MFA, sourceProfile: "base" }),
  );
  let seenEnv: Readonly<Record<string, string>> = {};
  const runVault: RunProcess = (_command, o) => {
    seenEnv = o.env;
    return Promise.resolve({
      stdout: JSON.stringify({
        Version: 1,
        AccessKeyId: ALICE_KEYS.accessKeyId,
        SecretAccessKey: ALICE_KEYS.secretAccessKey,
      }),
      code: 0,
    });
  };
  const deps2 = makeDeps(vault, sts.factory, {
    runProcess: runVault,
    env: {
      USER: "alice",
      AWSMFA_RESOLVING_PROFILES: '["outer"]',
      AWSMFA_FILE_PASSPHRASE: "correct horse battery staple",
      AWS_VAULT_FILE_PASSPHRASE: "aws-vault passphrase",
    },
  });
  sts.addCode("222222");
  const creds = await getCredentials(deps2, { profile: "mfa", mfaToken: "222222" });
  assert.equal(creds.source, "session");
  assert.equal(seenEnv.AWSMFA_RESOLVING_PROFILES, '["outer","mfa"]');
  assert.equal(seenEnv.USER, "alice");
  // regression (#9 item 13): the store passphrase never reaches a credential_process.
  assert.equal(seenEnv.AWSMFA_FILE_PASSPHRASE, undefined);
  assert.equal(seenEnv.AWS_VAULT_FILE_PASSPHRASE, undefined);
  assert.equal(sts.calls.at(-1)?.signer, ALICE_KEYS.accessKeyId);
  const plain = await getCredentials(deps2, { profile: "base" });
  assert.deepEqual(plain, { ...ALICE_KEYS, source: "credential-process" });

  const looped = makeDeps(vault, sts.factory, {
    env: { AWSMFA_RESOLVING_PROFILES: '["mfa","base"]' },
  });
  await rejectsCode(getCredentials(looped, { profile: "mfa" }), "E_CREDENTIAL_PROCESS_CYCLE");

  const failing = makeDeps(vault, sts.factory, {
    runProcess: () => Promise.resolve({ stdout: "oops", code: 3 }),
  });
  await rejectsCode(getCredentials(failing, { profile: "base" }), "E_CREDENTIAL_PROCESS_FAILED");
});

test("plain-text keys work, and --debug points out that they are in plain text (redacted)", async () => {
  const config = makeConfig(
    prof("default", {
      staticKeys: { ...ALICE_KEYS, where: { file: "/home/u/.aws/credentials", line: 2 } },
    }),
  );
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory);
  const creds = await getCredentials(deps, { profile: "default" });
  assert.deepEqual(creds, { ...ALICE_KEYS, source: "static-keys" });
  assert.ok(deps.debugLines.some((l) => l.includes("plain text") && l.includes("****0001")));
  assertNoSecrets(deps);
});

test("stored keys without MFA give a session unless --no-session; rejected keys say what to do", async () => {
  const config = makeConfig(prof("default"));
  const store = memoryStore();
  await storeKeys(store, "default");
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store });
  const sts = stsDouble(deps.clock);
  const d = { ...deps, sts: sts.factory };
  const s = await getCredentials(d, { profile: "default" });
  assert.equal(s.source, "session");
  assert.deepEqual(sts.calls[0]?.input, { durationSeconds: 3600 });
  await clearSessions(store);
  sts.revoke(ALICE_KEYS.accessKeyId);
  const e = await rejectsCode(getCredentials(d, { profile: "default" }), "E_STS_INVALID_KEYS");
  assert.match(e.message, /stored keys for profile default were rejected/);
  assert.ok("hint" in e && typeof e.hint === "string" && e.hint.includes("awsmfa add default"));
});

test("one --mfa-token is used once: a second device in the same run is asked for, or named clearly", async () => {
  const BOB = "arn:aws:iam::111111111111:mfa/bob";
  const config = makeConfig(
    prof("default"),
    prof("mfa", { mfaSerial: ALICE_MFA, sourceProfile: "default" }),
    prof("other", {
      roleArn: "arn:aws:iam::111111111111:role/o",
      sourceProfile: "mfa",
      mfaSerial: BOB,
    }),
  );
  const store = memoryStore();
  await storeKeys(store, "default");
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store });
  const sts = stsDouble(deps.clock, ["111111", "222222"]);
  const e = await rejectsCode(
    getCredentials({ ...deps, sts: sts.factory }, { profile: "other", mfaToken: "111111" }),
    "E_MFA_TOKEN_USED",
  );
  assert.match(e.message, /second MFA code \(for arn:aws:iam::111111111111:mfa\/bob\)/);
  // The first session was cached, so the next run needs one code only.
  const deps2 = makeDeps(config, sts.factory, { store, promptAnswers: ["222222"] });
  const creds = await getCredentials(deps2, { profile: "other", mfaToken: "222222" });
  assert.equal(creds.source, "role");
  assert.deepEqual(deps2.prompts, []);
});

test("chained roles: a session, then one AssumeRole per hop, the last capped at 1h", async () => {
  const config = makeConfig(
    prof("default", { region: "eu-west-1" }),
    prof("admin", {
      roleArn: "arn:aws:iam::111111111111:role/admin",
      sourceProfile: "default",
      mfaSerial: ALICE_MFA,
    }),
    prof("deploy", {
      roleArn: "arn:aws:iam::111111111111:role/deploy",
      sourceProfile: "admin",
      externalId: "xid-0001",
    }),
  );
  const store = memoryStore();
  await storeKeys(store, "default");
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store });
  const sts = stsDouble(deps.clock);
  const d = { ...deps, sts: sts.factory };
  await rejectsCode(
    getCredentials(d, { profile: "deploy", durationSeconds: 7200, mfaToken: "123456" }),
    "E_BAD_DURATION",
  );
  assert.equal(sts.calls.length, 0, "validated before any call");
  const creds = await getCredentials(d, {
    profile: "deploy",
    mfaToken: "123456",
    region: "us-west-2",
  });
  assert.equal(creds.region, "us-west-2");
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole", "AssumeRole"]);
  const last = sts.calls[2];
  assert.equal(last?.region, "us-west-2");
  assert.deepEqual(last.input, {
    roleArn: "arn:aws:iam::111111111111:role/deploy",
    roleSessionName: "alice",
    durationSeconds: 3600,
    externalId: "xid-0001",
  });
  // clear for one profile drops what it assumes; clearing the profile with
  // the keys drops everything obtained with them (its session and the admin
  // role assumed through it); clear for all has nothing left.
  const removed = await clearSessions(store, "deploy");
  assert.equal(removed.length, 1);
  assert.equal((await store.list("session")).length, 2);
  assert.equal((await clearSessions(store, "default")).length, 2);
  assert.equal((await clearSessions(store)).length, 0);
});

test("a session the store refuses to cache is still handed out, with a warning; the next call starts over", async () => {
  const { config, store: base } = await seeded();
  const store = {
    ...base,
    set: (kind: "keys" | "session", name: string, value: string) =>
      kind === "session"
        ? Promise.reject(new Error("the kernel keyring said no"))
        : base.set(kind, name, value),
  };
  const deps = makeDeps(config, stsDouble({ now: () => 0 }).factory, { store });
  const sts = stsDouble(deps.clock);
  const d = { ...deps, sts: sts.factory };

  const first = await getCredentials(d, { profile: "saguaro-cluster", mfaToken: "123456" });
  assert.match(first.accessKeyId, /^ASIATEST/);
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole"]);
  assert.equal(deps.warnLines.length, 2, deps.warnLines.join("\n"));
  assert.match(
    deps.warnLines[0] ?? "",
    /^could not cache the session for caktus\/arn:aws:iam::111111111111:mfa\/alice in the file store \(the kernel keyring said no\); using it this once, the next call will get new credentials from STS\.$/,
  );
  assert.deepEqual(await base.list("session"), []);

  // Nothing was cached, so the next call needs (and gets) a new code.
  sts.addCode("654321");
  await getCredentials(d, { profile: "saguaro-cluster", mfaToken: "654321" });
  assert.deepEqual(sts.ops(), ["GetSessionToken", "AssumeRole", "GetSessionToken", "AssumeRole"]);
});
