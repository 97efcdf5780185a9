/**
 * The CLI contract (issue 2) from the outside: the built bin, run without a
 * terminal in a throw-away HOME, against an in-process fake-aws.
 * help/version/usage errors, add (shapes, ASIA, re-add, --force,
 * --add-config), list and list --json, remove, malformed config, wrong
 * passphrase, and no secret in anything add/list/remove print.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import pkg from "../../package.json" with { type: "json" };
import type { RunResult } from "../helpers/sandbox.ts";
import {
  ADMIN_ROLE,
  ALICE,
  ALICE_MFA,
  BOB,
  field,
  snapshot,
  startWorld,
  type World,
} from "./helpers.ts";

let w: World;
/** Everything add/list/remove printed in this file: checked for secrets at the end. */
const printed: string[] = [];

async function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
  opts: { record?: boolean } = {},
): Promise<RunResult> {
  const r = await w.sb.run(args, { env });
  if (opts.record !== false) printed.push(r.stdout, r.stderr);
  return r;
}

const aliceEnv = {
  AWS_ACCESS_KEY_ID: ALICE.accessKeyId,
  AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey,
};
const bobEnv = { AWS_ACCESS_KEY_ID: BOB.accessKeyId, AWS_SECRET_ACCESS_KEY: BOB.secretAccessKey };

/** The access key id stored for a profile, read back through `export --no-session`. */
async function storedKeyId(profile: string): Promise<string | undefined> {
  const r = await cli(
    ["export", profile, "--no-session", "--format", "json"],
    {},
    { record: false },
  );
  if (r.code !== 0) return undefined;
  const v: unknown = JSON.parse(r.stdout);
  const id = field(v, "AccessKeyId");
  return typeof id === "string" ? id : undefined;
}

async function listJson(): Promise<unknown> {
  const r = await cli(["list", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function profileIn(list: unknown, name: string): unknown {
  const profiles = field(list, "profiles");
  assert.ok(Array.isArray(profiles), "profiles is an array");
  return profiles.find((p: unknown) => field(p, "name") === name);
}

/**
 * The profiles most tests read back have a config section; store-only
 * profiles have a test of their own below.
 */
const BASE = "[profile work]\n\n[profile base]\n\n";

before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(BASE);
});
after(async () => {
  await w.stop();
});

test("--help, --version and usage errors", async () => {
  const help = await cli(["--help"]);
  assert.equal(help.code, 0);
  for (const c of ["add", "list", "remove", "clear", "exec", "export"]) {
    assert.match(help.stdout, new RegExp(`^  ${c} `, "m"), `help lists ${c}`);
  }
  assert.equal(help.stderr, "");

  const addHelp = await cli(["add", "--help"]);
  assert.equal(addHelp.code, 0);
  assert.match(addHelp.stdout, /--env/);
  assert.match(addHelp.stdout, /--add-config/);

  const version = await cli(["--version"]);
  assert.equal(version.code, 0);
  assert.equal(version.stdout, `${pkg.version}\n`);

  const unknown = await cli(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, "", "usage errors print nothing on stdout");
  assert.match(unknown.stderr, /Unknown command 'frobnicate'/);

  const badFlag = await cli(["list", "--no-such-flag"]);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /list/);

  const none = await cli([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage: awsmfa/);
});

test("add --env refuses malformed keys and ASIA keys, never echoing what was given", async () => {
  const before = await snapshot(w.sb.fileDir);
  // The secret pasted where the key id goes: the message must not repeat it.
  const swapped = await cli(["add", "p1", "--env"], {
    AWS_ACCESS_KEY_ID: ALICE.secretAccessKey,
    AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey,
  });
  assert.equal(swapped.code, 1);
  assert.match(swapped.stderr, /access key id/i);
  assert.ok(!swapped.stderr.includes(ALICE.secretAccessKey));
  assert.ok(!swapped.stderr.includes("fake/alice"), "no part of the secret is echoed");

  const shortSecret = ALICE.secretAccessKey.slice(0, 39);
  const badSecret = await cli(["add", "p1", "--env"], {
    AWS_ACCESS_KEY_ID: ALICE.accessKeyId,
    AWS_SECRET_ACCESS_KEY: shortSecret,
  });
  assert.equal(badSecret.code, 1);
  assert.match(badSecret.stderr, /secret access key/i);
  assert.ok(!badSecret.stderr.includes(shortSecret));
  assert.ok(!badSecret.stderr.includes("fake/alice"));

  const lowercaseId = await cli(["add", "p1", "--env"], {
    AWS_ACCESS_KEY_ID: ALICE.accessKeyId.toLowerCase(),
    AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey,
  });
  assert.equal(lowercaseId.code, 1);

  const missing = await cli(["add", "p1", "--env"], { AWS_ACCESS_KEY_ID: ALICE.accessKeyId });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /AWS_SECRET_ACCESS_KEY/);

  const asia = await cli(["add", "p1", "--env"], {
    AWS_ACCESS_KEY_ID: "ASIAFAKEALICE0000001",
    AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey,
  });
  assert.equal(asia.code, 1);
  assert.match(asia.stderr, /ASIA/);
  assert.match(asia.stderr, /temporary/);
  assert.ok(!asia.stderr.includes(ALICE.secretAccessKey));

  const noProfile = await cli(["add", "--env"], aliceEnv);
  assert.equal(noProfile.code, 2);

  // None of them stored anything.
  assert.equal(profileIn(await listJson(), "p1"), undefined);
  const afterAll = await snapshot(w.sb.fileDir);
  assert.deepEqual(
    [...afterAll.keys()].filter((k) => k.includes("/keys/")),
    [...before.keys()].filter((k) => k.includes("/keys/")),
  );
});

test("add stores keys; re-add without --force and without a terminal refuses and keeps them; --force replaces", async () => {
  const first = await cli(["add", "work", "--env"], aliceEnv);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, "", "add prints nothing on stdout");
  assert.match(first.stderr, /\*+0001/, "the key shows as its last four characters");
  assert.ok(!first.stderr.includes(ALICE.accessKeyId), "the full key id is not shown");
  assert.equal(await storedKeyId("work"), ALICE.accessKeyId);

  const storeBefore = await snapshot(w.sb.fileDir);
  const again = await cli(["add", "work", "--env"], bobEnv);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already stored for profile 'work'/);
  assert.match(again.stderr, /--force/);
  assert.deepEqual(await snapshot(w.sb.fileDir), storeBefore, "the store is untouched");
  assert.equal(await storedKeyId("work"), ALICE.accessKeyId, "the old keys stay");

  const forced = await cli(["add", "work", "--env", "--force"], bobEnv);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(await storedKeyId("work"), BOB.accessKeyId);
});

test("add --add-config adds [profile P] and leaves every other byte of a CRLF config with comments", async () => {
  const original =
    "; top comment\r\n" +
    "# another; with = signs [and brackets]\r\n" +
    "[default]\r\n" +
    "region = eu-west-1 ; trailing comment\r\n" +
    "\r\n" +
    "[profile other]\r\n" +
    "\toutput=json\r\n" +
    "  ; indented comment\r\n" +
    "s3 =\r\n" +
    "  max_concurrent_requests = 20\r\n" +
    "region=us-east-2\r\n" +
    "[sso-session corp]\r\n" +
    "sso_region=us-east-1\r\n" +
    "[services dev]\r\n" +
    "sts =\r\n" +
    "  endpoint_url = http://localhost:1\r\n";
  await w.sb.writeConfig(original);
  const r = await cli(["add", "newprof", "--env", "--add-config"], aliceEnv);
  assert.equal(r.code, 0, r.stderr);
  const after = await readFile(w.sb.configFile, "utf8");
  assert.ok(after.startsWith(original), "everything that was there is byte-identical, in place");
  const added = after.slice(original.length);
  assert.match(
    added,
    /^(\r\n)*\[profile newprof\](\r\n)?$/,
    `only the header was added: ${JSON.stringify(added)}`,
  );
  assert.ok(!added.includes("\n") || added.includes("\r\n"), "the file's CRLF style is kept");

  // A second --add-config for a profile that has a section changes nothing.
  const again = await cli(["add", "other", "--env", "--add-config"], aliceEnv);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await readFile(w.sb.configFile, "utf8"), after);
  await w.sb.writeConfig(BASE);
});

test("list and list --json show config, credentials-file and store profiles; plain-text keys flagged", async () => {
  await w.sb.writeConfig(
    BASE +
      `[profile cfgonly]\nregion = eu-central-1\nmfa_serial = ${ALICE_MFA}\n\n` +
      `[profile role]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = cfgonly\n`,
  );
  await w.sb.writeCredentials(
    `[plain]\naws_access_key_id = ${BOB.accessKeyId}\naws_secret_access_key = ${BOB.secretAccessKey}\n`,
  );
  const list = await listJson();
  assert.equal(field(list, "version"), 1);
  assert.equal(field(list, "backend"), "file");
  assert.equal(field(list, "configFile"), w.sb.configFile);
  assert.equal(field(list, "credentialsFile"), w.sb.credentialsFile);
  assert.equal(field(list, "configFileExists"), true);
  assert.equal(field(list, "credentialsFileExists"), true);

  const documented = [
    "name",
    "inConfig",
    "inCredentials",
    "storedKeys",
    "plainTextKeys",
    "plainTextKeysFile",
    "region",
    "mfaSerial",
    "roleArn",
    "sourceProfile",
    "credentialProcess",
    "sessions",
  ].sort();
  const profiles = field(list, "profiles");
  assert.ok(Array.isArray(profiles));
  const names = profiles.map((p: unknown) => field(p, "name"));
  assert.deepEqual(names, [...names].sort(), "profiles are sorted by name");
  for (const p of profiles) {
    assert.deepEqual(
      Object.keys(p as object).sort(),
      documented,
      `fields of ${String(field(p, "name"))}`,
    );
  }

  assert.deepEqual(profileIn(list, "cfgonly"), {
    name: "cfgonly",
    inConfig: true,
    inCredentials: false,
    storedKeys: false,
    plainTextKeys: false,
    plainTextKeysFile: null,
    region: "eu-central-1",
    mfaSerial: ALICE_MFA,
    roleArn: null,
    sourceProfile: null,
    credentialProcess: null,
    sessions: [],
  });
  assert.equal(field(profileIn(list, "role"), "roleArn"), "arn:aws:iam::111111111111:role/admin");
  assert.equal(field(profileIn(list, "role"), "sourceProfile"), "cfgonly");
  const plain = profileIn(list, "plain");
  assert.equal(field(plain, "inCredentials"), true);
  assert.equal(field(plain, "inConfig"), false);
  assert.equal(field(plain, "plainTextKeys"), true);
  assert.equal(field(plain, "plainTextKeysFile"), w.sb.credentialsFile);
  assert.equal(field(plain, "storedKeys"), false);
  const work = profileIn(list, "work");
  assert.equal(field(work, "storedKeys"), true);
  assert.equal(field(work, "inConfig"), true);
  // Stored by the --add-config test, whose config section is gone again.
  const storeOnly = profileIn(list, "newprof");
  assert.equal(field(storeOnly, "storedKeys"), true, "a store-only profile is listed");
  assert.equal(field(storeOnly, "inConfig"), false);
  assert.equal(field(storeOnly, "inCredentials"), false);

  const text = await cli(["list"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^plain\s+PLAIN TEXT/m);
  assert.match(text.stdout, /^work\s+stored/m);
  assert.match(text.stdout, /^cfgonly\s+-/m);
  assert.match(
    text.stdout,
    new RegExp(w.sb.credentialsFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
  );
  await w.sb.writeCredentials("");
});

test("remove: refuses without --force and a terminal, --sessions-only keeps keys, --force removes", async () => {
  await w.sb.writeConfig(
    BASE + `[profile mfa]\nmfa_serial = ${ALICE_MFA}\nsource_profile = base\n`,
  );
  await w.addAlice("base");
  const exp = await cli(
    ["export", "mfa", "-t", w.code(), "--format", "json"],
    {},
    { record: false },
  );
  assert.equal(exp.code, 0, exp.stderr);
  const sessionsOf = async (name: string) => field(profileIn(await listJson(), name), "sessions");
  const sessions = await sessionsOf("base");
  assert.ok(Array.isArray(sessions) && sessions.length === 1, "one cached session under base");
  const expiration = field(sessions[0], "expiration");
  assert.equal(typeof expiration, "string");
  assert.ok(Date.parse(String(expiration)) > Date.now(), "its expiry is in the future");
  assert.equal(field(sessions[0], "mfaSerial"), ALICE_MFA);

  const storeBefore = await snapshot(w.sb.fileDir);
  const refused = await cli(["remove", "base"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /--force/);
  assert.deepEqual(await snapshot(w.sb.fileDir), storeBefore, "nothing removed");

  const sessionsOnly = await cli(["remove", "base", "--sessions-only"]);
  assert.equal(sessionsOnly.code, 0, sessionsOnly.stderr);
  assert.deepEqual(await sessionsOf("base"), []);
  assert.equal(field(profileIn(await listJson(), "base"), "storedKeys"), true);
  assert.equal(await storedKeyId("base"), ALICE.accessKeyId);

  const forced = await cli(["remove", "base", "--force"]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(field(profileIn(await listJson(), "base"), "storedKeys"), false);
  assert.equal(await storedKeyId("base"), undefined);

  const gone = await cli(["remove", "base", "--force"]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /'base'/);
});

test("a malformed config: one message with file:line, exit 1, nothing on disk changes", async () => {
  const broken = "[profile ok]\nregion = us-east-1\n\n[profile broken\nregion = x\n";
  await w.sb.writeConfig(broken);
  const storeBefore = await snapshot(w.sb.fileDir);
  const runs = [
    await cli(["list"]),
    await cli(["export", "ok", "--no-session"], {}, { record: false }),
    await cli(["add", "fresh", "--env", "--add-config"], aliceEnv),
  ];
  for (const r of runs) {
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /config:4\b/, `names the file and line: ${r.stderr}`);
    assert.equal(r.stderr.match(/^awsmfa: /gm)?.length, 1, "one message");
  }
  assert.equal(await readFile(w.sb.configFile, "utf8"), broken);
  assert.deepEqual(await snapshot(w.sb.fileDir), storeBefore, "add stored nothing");
  await w.sb.writeConfig(BASE);
});

test("a wrong passphrase: clear error, exit 1, store unchanged", async () => {
  const storeBefore = await snapshot(w.sb.fileDir);
  const wrong = { AWSMFA_FILE_PASSPHRASE: "not the passphrase" };
  const add = await cli(["add", "intruder", "--env"], { ...aliceEnv, ...wrong });
  assert.equal(add.code, 1);
  assert.match(add.stderr, /passphrase/i);
  assert.match(add.stderr, /wrong/i);
  assert.ok(!add.stderr.includes("not the passphrase"), "the passphrase is not echoed");

  const exp = await cli(["export", "work", "--no-session"], wrong, { record: false });
  assert.equal(exp.code, 1);
  assert.equal(exp.stdout, "");
  assert.match(exp.stderr, /passphrase/i);

  const rm = await cli(["remove", "work", "--force"], wrong);
  assert.equal(rm.code, 1);
  assert.match(rm.stderr, /passphrase/i);

  assert.deepEqual(await snapshot(w.sb.fileDir), storeBefore);
  assert.equal(await storedKeyId("work"), BOB.accessKeyId, "the right passphrase still opens it");
});

test("aws-vault's AWS_VAULT_FILE_PASSPHRASE is read when ours is unset", async () => {
  const vault = async (passphrase: string) =>
    cli(
      ["export", "work", "--no-session", "--format", "json"],
      {
        AWSMFA_FILE_PASSPHRASE: undefined,
        AWS_VAULT_FILE_PASSPHRASE: passphrase,
      },
      { record: false },
    );
  const ok = await vault("correct horse battery staple");
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(field(JSON.parse(ok.stdout), "AccessKeyId"), BOB.accessKeyId);
  const bad = await vault("something else");
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /passphrase/i);
});

test("bug: remove <profile with keys> --force also removes the role sessions obtained with its keys", async () => {
  await w.sb.writeConfig(
    BASE +
      `[profile mfa]\nmfa_serial = ${ALICE_MFA}\nsource_profile = base\n\n` +
      `[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = mfa\n`,
  );
  await w.addAlice("base");
  const exp = await cli(
    ["export", "admin", "-t", w.code(), "--format", "json"],
    {},
    { record: false },
  );
  assert.equal(exp.code, 0, exp.stderr);
  const sessionsOf = async (name: string) => field(profileIn(await listJson(), name), "sessions");
  const roleSessions = await sessionsOf("admin");
  assert.ok(Array.isArray(roleSessions) && roleSessions.length === 1, "the admin role is cached");

  const removed = await cli(["remove", "base", "--force"]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stderr, /Removed the keys of profile 'base' and 2 cached sessions/);
  assert.deepEqual(await sessionsOf("base"), []);
  assert.deepEqual(await sessionsOf("admin"), [], "no role left from the removed keys");
});

test("bug: keys stored without a config section are usable: -n, a session, exec, and as source_profile", async () => {
  await w.sb.writeConfig(
    BASE + `[profile solo-mfa]\nmfa_serial = ${ALICE_MFA}\nsource_profile = solo\n`,
  );
  const add = await cli(["add", "solo", "--env", "--force"], aliceEnv);
  assert.equal(add.code, 0, add.stderr);
  assert.equal(field(profileIn(await listJson(), "solo"), "inConfig"), false);

  assert.equal(await storedKeyId("solo"), ALICE.accessKeyId, "export solo -n");
  const session = await cli(["export", "solo", "--format", "json"], {}, { record: false });
  assert.equal(session.code, 0, session.stderr);
  assert.match(String(field(JSON.parse(session.stdout), "AccessKeyId")), /^ASIA/);
  const exec = await cli([
    "exec",
    "solo",
    "--",
    "sh",
    "-c",
    'test -n "$AWS_SESSION_TOKEN" && echo OK',
  ]);
  assert.equal(exec.code, 0, exec.stderr);
  assert.equal(exec.stdout.trim(), "OK");
  const viaSource = await cli(
    ["export", "solo-mfa", "-t", w.code(), "--format", "json"],
    {},
    { record: false },
  );
  assert.equal(viaSource.code, 0, viaSource.stderr);

  // Neither a section nor stored keys: the clear error it always was.
  const missing = await cli(["export", "never-added", "-n"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Profile 'never-added' is not in /);
  await cli(["remove", "solo", "--force"]);
});

test("no secret appears in anything add, list or remove printed", () => {
  assert.ok(printed.length > 20, "the earlier tests ran");
  const all = printed.join("\n");
  for (const secret of [
    ALICE.secretAccessKey,
    BOB.secretAccessKey,
    "correct horse battery staple",
  ]) {
    assert.ok(!all.includes(secret), `a secret was printed: ${secret.slice(0, 4)}...`);
  }
  for (const keyId of [ALICE.accessKeyId, BOB.accessKeyId]) {
    assert.ok(!all.includes(keyId), "full access key ids are not printed (last four only)");
  }
});
