import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { buildAwsConfig } from "../../src/config/buildAwsConfig.ts";
import { parseIni } from "../../src/config/IniDocument.ts";
import { sessionCacheKey, roleCacheKey } from "../../src/credentials/cacheKey.ts";
import { profileItems } from "../../src/cli/picker/profileItems.ts";
import {
  parseRecent,
  readRecent,
  recordRecent,
  RECENT_MAX,
  withRecent,
} from "../../src/cli/picker/recent.ts";

const CONFIG = `[profile main]
region = us-central-1
mfa_serial = arn:aws:iam::111111111111:mfa/jane

[profile dev-1]
region = eu-central-1
role_arn = arn:aws:iam::222222222222:role/dev-admin
source_profile = main
mfa_serial = arn:aws:iam::111111111111:mfa/jane

[profile dev-2]
region = eu-west-1
role_arn = arn:aws:iam::333333333333:role/team/dev-admin
source_profile = main
mfa_serial = arn:aws:iam::111111111111:mfa/jane

[profile tool]
credential_process = some-tool
`;
const CREDENTIALS = `[main-session]
aws_access_key_id = ASIAEXAMPLE
aws_secret_access_key = x
aws_session_token = y
expiration = 2030-01-01T00:00:00Z
awsmfa_written_for = main
`;

function config() {
  return buildAwsConfig({
    configFile: "/h/.aws/config",
    credentialsFile: "/h/.aws/credentials",
    configDoc: parseIni(CONFIG, "~/.aws/config"),
    credentialsDoc: parseIni(CREDENTIALS, "~/.aws/credentials"),
  });
}

const NOW = Date.parse("2026-01-01T12:00:00Z");
const MFA = "arn:aws:iam::111111111111:mfa/jane";

describe("profileItems", () => {
  it("lists config profiles (not sections awsmfa wrote) with role @ account, region, MFA device", () => {
    const items = profileItems(config(), [], [], NOW);
    assert.deepEqual(
      items.map((i) => [i.name, ...i.details]),
      [
        ["main", "keys", "us-central-1", "mfa jane @ 111111111111", ""],
        ["dev-1", "dev-admin @ 222222222222", "eu-central-1", "mfa jane @ 111111111111", ""],
        ["dev-2", "dev-admin @ 333333333333", "eu-west-1", "mfa jane @ 111111111111", ""],
        ["tool", "credential_process", "-", "-", ""],
      ],
    );
  });

  it("orders recently used first (unknown names ignored), the rest in config order", () => {
    const items = profileItems(config(), [], ["dev-2", "gone", "tool"], NOW);
    assert.deepEqual(
      items.map((i) => i.name),
      ["dev-2", "tool", "main", "dev-1"],
    );
  });

  it("shows live sessions with time left: the role's own, else the MFA session of its source", () => {
    const sessions = [
      { name: sessionCacheKey("main", MFA, 28_800), expiresAt: NOW + 7 * 3600_000 },
      {
        name: roleCacheKey("dev-1", "arn:aws:iam::222222222222:role/dev-admin", 3600, {}),
        expiresAt: NOW + 45 * 60_000,
      },
      // Inside the 5-minute window: not shown as live.
      {
        name: roleCacheKey("dev-2", "arn:aws:iam::333333333333:role/team/dev-admin", 3600, {}),
        expiresAt: NOW + 60_000,
      },
      { name: "not-ours", expiresAt: NOW + 3600_000 },
    ];
    const byName = new Map(
      profileItems(config(), sessions, [], NOW).map((i) => [i.name, i.details[3]]),
    );
    assert.equal(byName.get("main"), "mfa session 7h left");
    assert.equal(byName.get("dev-1"), "session 45m left");
    assert.equal(byName.get("dev-2"), "mfa session 7h left");
    assert.equal(byName.get("tool"), "");
  });

  it("says 'cached' when the expiry could not be read without a passphrase", () => {
    const sessions = [{ name: sessionCacheKey("main", MFA, 28_800), expiresAt: undefined }];
    const byName = new Map(
      profileItems(config(), sessions, [], NOW).map((i) => [i.name, i.details[3]]),
    );
    assert.equal(byName.get("dev-1"), "mfa session cached");
  });
});

const root = await mkdtemp(join(tmpdir(), "awsmfa-recent-"));
after(() => rm(root, { recursive: true, force: true }));

describe("recent profiles list", () => {
  it("moves a name to the front without duplicates, capped", () => {
    assert.deepEqual(withRecent(["a", "b", "c"], "b"), ["b", "a", "c"]);
    const long = Array.from({ length: RECENT_MAX }, (_, i) => `p${String(i)}`);
    assert.equal(withRecent(long, "new").length, RECENT_MAX);
    assert.equal(withRecent(long, "new")[0], "new");
  });

  it("reads a malformed or foreign file as empty (it is only an ordering hint)", () => {
    assert.deepEqual(parseRecent("not json"), []);
    assert.deepEqual(parseRecent('{"profiles": "x"}'), []);
    assert.deepEqual(parseRecent('{"version":1,"profiles":["a",3,"b"]}'), ["a", "b"]);
  });

  it("is written 0600 in a 0700 directory, and not rewritten when the name is already first", async () => {
    const path = join(root, "store", "recent.json");
    assert.deepEqual(await readRecent(path), []);
    assert.equal(await recordRecent(path, "dev-1"), true);
    assert.equal(await recordRecent(path, "dev-2"), true);
    assert.deepEqual(await readRecent(path), ["dev-2", "dev-1"]);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(root, "store"))).mode & 0o777, 0o700);
    const before = await stat(path);
    assert.equal(await recordRecent(path, "dev-2"), false);
    assert.equal((await stat(path)).ino, before.ino);
    assert.deepEqual(JSON.parse(await readFile(path, "utf8")), {
      version: 1,
      profiles: ["dev-2", "dev-1"],
    });
    await writeFile(path, "garbage");
    assert.equal(await recordRecent(path, "x"), true);
    assert.deepEqual(await readRecent(path), ["x"]);
  });
});
