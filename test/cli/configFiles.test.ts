/**
 * The AWS config and credentials files as the CLI finds them: missing,
 * not regular files, not UTF-8, keys in the config file (issue #9 items 5,
 * 10 and 20).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ALICE, ALICE_MFA, callsOf, field, snapshot, startWorld, type World } from "./helpers.ts";

let w: World;
before(async () => {
  w = await startWorld();
});
after(() => w.stop());

/** A hang must fail the test, not the suite: the child is killed after this long. */
const HANG_MS = 30_000;

test("regression (#9 item 5): AWS_CONFIG_FILE naming a missing file fails instead of a session without MFA", async () => {
  await w.sb.writeConfig(`[profile carol]\nmfa_serial = ${ALICE_MFA}\n`);
  await w.addAlice("carol");
  w.aws.clearCalls();
  const typo = join(w.sb.home, ".aws", "confg");
  for (const args of [
    ["exec", "carol", "--", "true"],
    ["export", "carol", "--format", "json"],
    ["list"],
  ]) {
    const r = await w.sb.run(args, { env: { AWS_CONFIG_FILE: typo } });
    assert.equal(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
    assert.match(
      r.stderr,
      /The config file ~\/\.aws\/confg named by AWS_CONFIG_FILE does not exist\./,
    );
    assert.match(r.stderr, /hint: Fix or unset AWS_CONFIG_FILE/);
    assert.equal(r.stdout, "", "no credentials printed");
  }
  assert.equal(callsOf(w.aws, "GetSessionToken").length, 0, "no session without MFA");
  assert.equal(w.aws.calls().length, 0, "no call to AWS at all");

  // A named credentials file that does not exist stays normal (many set-ups
  // have none; `write` creates it).
  const ok = await w.sb.run(["list"], {
    env: { AWS_SHARED_CREDENTIALS_FILE: join(w.sb.home, "no-such-credentials") },
  });
  assert.equal(ok.code, 0, ok.stderr);
});

test("regression (#9 item 5): a missing default ~/.aws/config is said in list and under --debug", async () => {
  await rm(w.sb.configFile, { force: true });
  const env = { AWS_CONFIG_FILE: undefined };
  const text = await w.sb.run(["list"], { env });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /No config file at .*\/\.aws\/config: read as empty/);

  const json = await w.sb.run(["list", "--json"], { env });
  assert.equal(json.code, 0, json.stderr);
  const parsed: unknown = JSON.parse(json.stdout);
  assert.equal(field(parsed, "configFileExists"), false);

  const debug = await w.sb.run(["--debug", "export", "carol", "-n", "--format", "json"], { env });
  assert.equal(debug.code, 0, debug.stderr);
  assert.match(debug.stderr, /no config file at ~\/\.aws\/config: read as empty/);

  await w.sb.writeConfig("[profile carol]\n");
  const present = await w.sb.run(["list"], { env });
  assert.doesNotMatch(present.stdout, /No config file/);
});

test("regression (#9 item 10): a FIFO as the config or credentials file is refused, not read forever", async () => {
  for (const which of ["config", "credentials"] as const) {
    const fifo = join(w.sb.home, `${which}.fifo`);
    execFileSync("mkfifo", [fifo]);
    const env =
      which === "config" ? { AWS_CONFIG_FILE: fifo } : { AWS_SHARED_CREDENTIALS_FILE: fifo };
    for (const args of [["list"], ["export", "carol", "-n"], ["write", "carol", "-n"]]) {
      const r = await w.sb.run(args, { env, timeoutMs: HANG_MS });
      assert.equal(r.signal, null, `${which} ${args.join(" ")} hung (killed)`);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /it is a FIFO \(named pipe\), not a regular file\./);
    }
    await rm(fifo);
  }
});

test("regression (#9 item 20): add --add-config on a non-UTF-8 config refuses before storing the keys", async () => {
  const latin1 = Buffer.concat([
    Buffer.from("# caf"),
    Buffer.from([0xe9]),
    Buffer.from("\n[profile carol]\n"),
  ]);
  await writeFile(w.sb.configFile, latin1);
  const before = await snapshot(w.sb.fileDir);
  const r = await w.sb.run(["add", "dave", "--env", "--add-config"], {
    env: { AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey },
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /~\/\.aws\/config is not valid UTF-8/);
  assert.doesNotMatch(r.stderr, /Added keys/);
  assert.deepEqual(await snapshot(w.sb.fileDir), before, "no keys stored");
  assert.deepEqual(await readFile(w.sb.configFile), latin1, "config untouched");
});

test("regression (#9 item 20): list says plain-text keys are in the config file when they are there", async () => {
  await w.sb.writeConfig(
    `[profile cfgkeys]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`,
  );
  await w.sb.writeCredentials("");
  const r = await w.sb.run(["list"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^cfgkeys\s+PLAIN TEXT/m);
  assert.match(r.stdout, /Keys marked PLAIN TEXT sit unencrypted in \S*\/\.aws\/config;/);
  assert.doesNotMatch(r.stdout, /unencrypted in \S*credentials/);
  const json: unknown = JSON.parse((await w.sb.run(["list", "--json"])).stdout);
  const profiles = field(json, "profiles");
  assert.ok(Array.isArray(profiles));
  const p: unknown = profiles.find((x: unknown) => field(x, "name") === "cfgkeys");
  assert.equal(field(p, "plainTextKeysFile"), w.sb.configFile);
  await w.sb.writeConfig("");
});

test("config warnings (duplicate section, inline comment) are shown by list, list --json and --debug, and only there", async () => {
  await w.sb.writeConfig(
    `[profile carol]\nmfa_serial = ${ALICE_MFA}\nregion = eu-west-1 # Ireland\n\n[profile carol]\nregion = eu-west-1\n`,
  );
  await w.addAlice("carol");
  const text = await w.sb.run(["list"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Warning: ~\/\.aws\/config:5: \[profile carol\] appears again/);
  assert.match(text.stdout, /Warning: ~\/\.aws\/config:3: the comment after 'region'/);

  const json = await w.sb.run(["list", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const codes = (JSON.parse(json.stdout) as { configWarnings: { code: string }[] }).configWarnings
    .map((c) => c.code)
    .sort();
  assert.deepEqual(codes, ["W_DUPLICATE_SECTION", "W_INLINE_COMMENT"]);

  const code = w.aws.freshTotp(ALICE_MFA);
  const quiet = await w.sb.run(["export", "carol", "--format", "json", "-t", code]);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stderr, "", "no warning without --debug");
  const debug = await w.sb.run(["--debug", "export", "carol", "--format", "json"]);
  assert.equal(debug.code, 0, debug.stderr);
  assert.match(debug.stderr, /debug: ~\/\.aws\/config:5: \[profile carol\] appears again/);
});
