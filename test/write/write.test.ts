// `awsmfa write` from the outside: the built bin against fake-aws in a sandbox HOME.
import assert from "node:assert/strict";
import { readFile, stat } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { parseIni } from "../../src/config/IniDocument.ts";
import {
  ADMIN_ROLE,
  ALICE_MFA,
  READONLY_ROLE,
  callsOf,
  field,
  startWorld,
  type World,
} from "../cli/helpers.ts";

const CONFIG = `# seed 004's role, and a role without MFA
[profile alice]
region = us-east-1
mfa_serial = ${ALICE_MFA}

[profile admin]
role_arn = ${ADMIN_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
role_session_name = admin-session

[profile base]
region = eu-west-1

[profile ro]
role_arn = ${READONLY_ROLE}
source_profile = base
`;
const CREDENTIALS =
  "# kept by hand\r\n[other]\r\naws_access_key_id = AKIAOTHER0000000001\r\naws_secret_access_key = other/secret\r\n";

let w: World;
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(CONFIG);
  await w.sb.writeCredentials(CREDENTIALS);
  await w.addAlice("alice");
  await w.addAlice("base");
});
after(() => w.stop());

const credentials = () => readFile(w.sb.credentialsFile, "utf8");
const section = async (name: string) => parseIni(await credentials(), "c").getSection(name);

describe("awsmfa write", () => {
  it("writes an assumed role's credentials to --to NAME, says how to use them, and list shows them", async () => {
    const r = await w.sb.run(["write", "admin", "-t", w.code(), "--to", "some-profile"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^awsmfa: Wrote \[some-profile\] in ~\/\.aws\/credentials with temporary credentials for profile admin; they expire in (59m|1h) \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)\.\n/,
    );
    assert.match(r.stderr, /\n {2}export AWS_PROFILE=some-profile\n/);
    const s = await section("some-profile");
    assert.match(s?.get("aws_access_key_id") ?? "", /^ASIA/);
    assert.equal(s?.get("awsmfa_written_for"), "admin");
    assert.equal((await stat(w.sb.credentialsFile)).mode & 0o777, 0o600);
    assert.ok((await credentials()).startsWith(CREDENTIALS));
    const role = callsOf(w.aws, "AssumeRole").at(-1);
    assert.equal(role?.roleSessionName, "admin-session");

    const list = await w.sb.run(["list", "--json"]);
    assert.equal(list.code, 0, list.stderr);
    const json: unknown = JSON.parse(list.stdout);
    assert.deepEqual(field(json, "writtenSections"), [
      { name: "some-profile", profile: "admin", expiration: s.get("expiration") },
    ]);
    const table = await w.sb.run(["list"]);
    assert.match(
      table.stdout,
      /Written by 'awsmfa write' to .*credentials \(temporary credentials\):\n {2}some-profile {2}for admin, (59m|1h) left \(/,
    );
    assert.doesNotMatch(table.stdout, /^some-profile /m);
  });

  it("defaults to <profile>-session, prints --json without secrets, and replaces its own section in place", async () => {
    const first = await w.sb.run(["write", "ro", "--json"]);
    assert.equal(first.code, 0, first.stderr);
    const out: unknown = JSON.parse(first.stdout);
    assert.equal(field(out, "section"), "ro-session");
    assert.equal(field(out, "profile"), "ro");
    assert.equal(field(out, "replaced"), "absent");
    assert.equal(field(out, "credentialsFile"), w.sb.credentialsFile);
    assert.doesNotMatch(first.stdout, /ASIA|aws_/);

    const text = await credentials();
    await w.sb.run(["clear"]);
    const again = await w.sb.run(["write", "ro"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^awsmfa: Replaced \[ro-session\]/);
    const now = await credentials();
    // Same lines, new values: the file has as many lines and [other] is untouched.
    assert.equal(now.split("\n").length, text.split("\n").length);
    assert.ok(now.startsWith(CREDENTIALS));
    assert.notEqual(
      (await section("ro-session"))?.get("aws_access_key_id"),
      parseIni(text, "c").getSection("ro-session")?.get("aws_access_key_id"),
    );
  });

  it("refuses a section with long-term keys before any STS call, and --force overrides", async () => {
    const beforeText = await credentials();
    w.aws.clearCalls();
    await w.sb.run(["clear"]);
    const r = await w.sb.run(["write", "ro", "--to", "other"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "awsmfa: ~/.aws/credentials:2: [other] holds long-term keys; awsmfa will not overwrite it.\n  hint: Choose another section with --to NAME, or pass --force to replace its keys.\n",
    );
    assert.deepEqual(w.aws.calls(), []);
    assert.equal(await credentials(), beforeText);

    const cfg = await w.sb.run(["write", "ro", "--to", "alice"]);
    assert.equal(cfg.code, 1);
    assert.match(cfg.stderr, /~\/\.aws\/config:2: \[alice\] is a profile in the config file/);

    const forced = await w.sb.run(["write", "ro", "--to", "other", "--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /^awsmfa: Overwrote \[other\]/);
    assert.equal((await section("other"))?.get("awsmfa_written_for"), "ro");
  });

  it("refuses to write long-term keys, and a section named like the profile itself", async () => {
    const beforeText = await credentials();
    const longTerm = await w.sb.run(["write", "base", "-n"]);
    assert.equal(longTerm.code, 1);
    assert.match(
      longTerm.stderr,
      /profile base resolves to long-term keys; awsmfa writes only temporary credentials/,
    );
    const self = await w.sb.run(["write", "ro", "--to", "ro"]);
    assert.equal(self.code, 1);
    assert.match(self.stderr, /\[ro\] is the profile being resolved/);
    assert.equal(await credentials(), beforeText);
  });

  it("--remove takes out one section or all of ours, never a foreign one without --force", async () => {
    await w.sb.writeCredentials(CREDENTIALS);
    assert.equal((await w.sb.run(["write", "ro"])).code, 0);
    assert.equal((await w.sb.run(["write", "ro", "--to", "x1"])).code, 0);
    assert.equal((await w.sb.run(["write", "ro", "--to", "x2"])).code, 0);

    const one = await w.sb.run(["write", "ro", "--remove"]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stderr, "awsmfa: removed [ro-session] from ~/.aws/credentials.\n");
    const foreign = await w.sb.run(["write", "--remove", "--to", "other"]);
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /\[other\] holds long-term keys; awsmfa will not remove it/);
    const none = await w.sb.run(["write", "--remove", "--to", "nope"]);
    assert.equal(none.code, 0);
    assert.match(none.stderr, /there is no \[nope\]/);

    const all = await w.sb.run(["write", "--remove", "--all", "--json"]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(field(JSON.parse(all.stdout), "removed"), ["x1", "x2"]);
    assert.equal(await credentials(), CREDENTIALS);
  });

  it("without a profile and without a terminal: E_NO_PROFILE, exit 2, naming the ways to choose", async () => {
    for (const cmd of ["write", "export", "exec"]) {
      const r = await w.sb.run([cmd]);
      assert.equal(r.code, 2, `${cmd}: ${r.stderr}`);
      assert.equal(
        r.stderr,
        `awsmfa: ${cmd}: no profile given.\n  hint: Name one ('awsmfa ${cmd} PROFILE'), set AWS_PROFILE, or run on a terminal to pick one from a list.\n`,
      );
    }
    const usage = await w.sb.run(["write", "--all"]);
    assert.equal(usage.code, 2);
  });
});
