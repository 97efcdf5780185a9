/**
 * migrateKeys on real temp files with an in-memory store: what moves, what
 * is left and why, byte-level losslessness, backups, and what a failure at
 * each step leaves behind.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { SecretStore } from "../../src/store/SecretStore.ts";
import { credentialProcessLine } from "../../src/migrate/credentialProcessLine.ts";
import { migrateKeys } from "../../src/migrate/migrateKeys.ts";
import type { MigrateInput } from "../../src/migrate/types.ts";
import { memoryStore } from "../helpers/memoryStore.ts";
import { fixedClock } from "../helpers/fixedClock.ts";

const ALICE_ID = "AKIAFAKEALICE0000001";
const ALICE_SECRET = "fake/alice/secret/key/not/real/000000001";
const BOB_ID = "AKIAFAKEBOB000000001";
const BOB_SECRET = "fake/bob/secret/key/not/real/00000000001";
const CP = (p: string) => `credential_process = ${credentialProcessLine(p)}`;

let dir = "";
let configFile = "";
let credentialsFile = "";

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "awsmfa-migrate-"));
  configFile = join(dir, "config");
  credentialsFile = join(dir, "credentials");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function input(store: SecretStore, over: Partial<MigrateInput> = {}): MigrateInput {
  return {
    configFile,
    credentialsFile,
    configLabel: "~/.aws/config",
    credentialsLabel: "~/.aws/credentials",
    profiles: [],
    dryRun: false,
    force: false,
    store,
    clock: fixedClock(Date.parse("2025-01-02T03:04:05Z")),
    env: {},
    credentialProcess: (p) => credentialProcessLine(p),
    ...over,
  };
}

async function storedKeys(store: SecretStore, profile: string) {
  const v = await store.get("keys", profile);
  return v === undefined
    ? undefined
    : (JSON.parse(v) as { accessKeyId: string; secretAccessKey: string });
}

const read = (p: string) => readFile(p, "utf8");

void describe("migrateKeys", () => {
  it("removes only the key lines, byte for byte (CRLF, comments, other profiles, no final newline)", async () => {
    const credentials =
      "; written by hand\r\n" +
      "[work]\r\n" +
      "# keys for work\r\n" +
      `aws_access_key_id = ${ALICE_ID}\r\n` +
      `aws_secret_access_key=${ALICE_SECRET}\r\n` +
      "region = eu-west-1 ; Ireland\r\n" +
      "\r\n" +
      "[other]\r\n" +
      "output = json\r\n" +
      "\r\n" +
      "[last]\r\n" +
      `aws_access_key_id = ${BOB_ID}\r\n` +
      `aws_secret_access_key = ${BOB_SECRET}`;
    const config = "[profile work]\nregion = eu-west-1\n\n[profile last]\noutput = text";
    await writeFile(credentialsFile, credentials);
    await writeFile(configFile, config);
    const store = memoryStore();
    const report = await migrateKeys(input(store));
    assert.deepEqual(
      report.results.map((r) => [r.profile, r.outcome]),
      [
        ["work", "migrated"],
        ["last", "migrated"],
      ],
    );
    assert.equal(
      await read(credentialsFile),
      "; written by hand\r\n" +
        "[work]\r\n" +
        "# keys for work\r\n" +
        "region = eu-west-1 ; Ireland\r\n" +
        "\r\n" +
        "[other]\r\n" +
        "output = json\r\n" +
        "\r\n" +
        "[last]",
    );
    assert.equal(
      await read(configFile),
      `[profile work]\nregion = eu-west-1\n${CP("work")}\n\n[profile last]\noutput = text\n${CP("last")}`,
    );
    assert.deepEqual(await storedKeys(store, "work"), {
      accessKeyId: ALICE_ID,
      secretAccessKey: ALICE_SECRET,
      addedAt: "2025-01-02T03:04:05.000Z",
    });
    assert.equal((await storedKeys(store, "last"))?.accessKeyId, BOB_ID);
    // Both backups hold the original bytes, 0600.
    assert.equal(report.backups.length, 2);
    for (const b of report.backups) {
      assert.match(b, /\.awsmfa-backup-20250102T030405Z$/);
      assert.equal((await stat(b)).mode & 0o777, 0o600);
    }
    assert.equal(await read(`${credentialsFile}.awsmfa-backup-20250102T030405Z`), credentials);
    assert.equal(await read(`${configFile}.awsmfa-backup-20250102T030405Z`), config);
    assert.equal((await stat(credentialsFile)).mode & 0o777, 0o600);
  });

  it("[default] goes to the config's [default]; a credentials-only profile gets a [profile P] section", async () => {
    await writeFile(
      credentialsFile,
      `[default]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n\n[solo]\naws_access_key_id = ${BOB_ID}\naws_secret_access_key = ${BOB_SECRET}\n`,
    );
    await writeFile(configFile, "[default]\nregion = us-east-1\n");
    const report = await migrateKeys(input(memoryStore()));
    assert.deepEqual(
      report.results.map((r) => r.outcome),
      ["migrated", "migrated"],
    );
    assert.equal(
      await read(configFile),
      `[default]\nregion = us-east-1\n${CP("default")}\n\n[profile solo]\n${CP("solo")}\n`,
    );
    assert.equal(await read(credentialsFile), "[default]\n\n[solo]\n");
  });

  it("creates the config file (0600) when there is none", async () => {
    await writeFile(
      credentialsFile,
      `[dev]\naws_access_key_id=${ALICE_ID}\naws_secret_access_key=${ALICE_SECRET}\n`,
    );
    const report = await migrateKeys(input(memoryStore()));
    assert.equal(report.backups.length, 1, "only the credentials file existed to back up");
    assert.equal(await read(configFile), `[profile dev]\n${CP("dev")}\n`);
    assert.equal((await stat(configFile)).mode & 0o777, 0o600);
  });

  it("moves keys written in the config file itself, in the same write that adds credential_process", async () => {
    await writeFile(
      configFile,
      `[profile cfg]\nregion = eu-central-1\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\noutput = json\n`,
    );
    const store = memoryStore();
    const report = await migrateKeys(input(store));
    assert.equal(report.results[0]?.outcome, "migrated");
    assert.equal(report.results[0].from, "~/.aws/config:3");
    assert.equal(
      await read(configFile),
      `[profile cfg]\nregion = eu-central-1\noutput = json\n${CP("cfg")}\n`,
    );
    assert.equal((await storedKeys(store, "cfg"))?.accessKeyId, ALICE_ID);
  });

  it("same keys in both files: stored once, removed from both; different keys: refused", async () => {
    await writeFile(
      credentialsFile,
      `[both]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n[diff]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`,
    );
    const config = `[profile both]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n[profile diff]\naws_access_key_id = ${BOB_ID}\naws_secret_access_key = ${BOB_SECRET}\n`;
    await writeFile(configFile, config);
    const report = await migrateKeys(input(memoryStore()));
    const diff = report.results.find((r) => r.profile === "diff");
    assert.equal(diff?.outcome, "refused");
    assert.match(diff.reason ?? "", /different keys in ~\/.aws\/credentials and ~\/.aws\/config/);
    assert.equal(report.results.find((r) => r.profile === "both")?.outcome, "migrated");
    assert.equal(
      await read(configFile),
      `[profile both]\n${CP("both")}\n[profile diff]\naws_access_key_id = ${BOB_ID}\naws_secret_access_key = ${BOB_SECRET}\n`,
    );
  });

  it("leaves temporary credentials alone (session token, or an ASIA key id)", async () => {
    const credentials =
      `[tmp]\naws_access_key_id = ASIAFAKE000000000001\naws_secret_access_key = ${ALICE_SECRET}\naws_session_token = FQoGZXIvYXdzEXAMPLE\n` +
      `[old]\naws_access_key_id = ASIAFAKE000000000002\naws_secret_access_key = ${ALICE_SECRET}\n`;
    await writeFile(credentialsFile, credentials);
    const store = memoryStore();
    const report = await migrateKeys(input(store));
    assert.deepEqual(
      report.results.map((r) => [r.profile, r.outcome]),
      [
        ["tmp", "skipped"],
        ["old", "skipped"],
      ],
    );
    assert.match(
      report.results[0]?.reason ?? "",
      /temporary credentials \(session token at ~\/.aws\/credentials:4\)/,
    );
    assert.equal(await read(credentialsFile), credentials);
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(report.backups, [], "nothing to do, nothing backed up");
    assert.deepEqual((await readdir(dir)).sort(), ["credentials"]);
  });

  it("keys already in the store: the same -> just removed from the file; different -> refused unless --force", async () => {
    const credentials = `[same]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n[other]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`;
    await writeFile(credentialsFile, credentials);
    const store = memoryStore();
    await store.set(
      "keys",
      "same",
      JSON.stringify({ accessKeyId: ALICE_ID, secretAccessKey: ALICE_SECRET }),
    );
    await store.set(
      "keys",
      "other",
      JSON.stringify({ accessKeyId: BOB_ID, secretAccessKey: BOB_SECRET }),
    );
    const report = await migrateKeys(input(store));
    const same = report.results.find((r) => r.profile === "same");
    const other = report.results.find((r) => r.profile === "other");
    assert.equal(same?.outcome, "migrated");
    assert.ok(same.notes.some((n) => /same keys were already in the file store/.test(n)));
    assert.equal(other?.outcome, "refused");
    assert.match(
      other.reason ?? "",
      /already holds different keys for it \(\*\*\*\*0001\)\. Run again with --force/,
    );
    assert.equal((await storedKeys(store, "other"))?.accessKeyId, BOB_ID);
    assert.match(await read(credentialsFile), /\[other\]\naws_access_key_id/);

    const forced = await migrateKeys(input(store, { force: true }));
    assert.equal(forced.results[0]?.outcome, "migrated");
    assert.ok(
      forced.results[0].notes.some((n) => /replaced the different keys \(\*\*\*\*0001\)/.test(n)),
    );
    assert.equal((await storedKeys(store, "other"))?.accessKeyId, ALICE_ID);
    assert.equal(await read(credentialsFile), "[same]\n[other]\n");
  });

  it("refuses a profile with role_arn, sso or another credential_process; keeps a credential_process that calls awsmfa", async () => {
    const keys = `aws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`;
    const credentials = `[role]\n${keys}[sso]\n${keys}[foreign]\n${keys}[ours]\n${keys}`;
    await writeFile(credentialsFile, credentials);
    const config =
      "[profile role]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = role\n" +
      "[profile sso]\nsso_session = corp\n" +
      "[profile foreign]\ncredential_process = /usr/bin/other-tool dev\n" +
      "[profile ours]\ncredential_process = awsmfa export --format credential-process ours\n";
    await writeFile(configFile, config);
    const report = await migrateKeys(input(memoryStore()));
    const by = new Map(report.results.map((r) => [r.profile, r]));
    assert.equal(by.get("role")?.outcome, "refused");
    assert.match(by.get("role")?.reason ?? "", /role_arn \(~\/.aws\/config:2\)/);
    assert.equal(by.get("sso")?.outcome, "refused");
    assert.equal(by.get("foreign")?.outcome, "refused");
    assert.match(
      by.get("foreign")?.reason ?? "",
      /already has a credential_process \(~\/.aws\/config:7\)/,
    );
    assert.equal(by.get("ours")?.outcome, "migrated");
    assert.ok(by.get("ours")?.notes.some((n) => /kept its credential_process/.test(n)));
    assert.equal(await read(configFile), config, "nothing to add: ours already calls awsmfa");
    assert.equal(
      await read(credentialsFile),
      `[role]\n${keys}[sso]\n${keys}[foreign]\n${keys}[ours]\n`,
    );
  });

  it("--profile limits the run and names profiles without keys", async () => {
    const credentials = `[a]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n[b]\naws_access_key_id = ${BOB_ID}\naws_secret_access_key = ${BOB_SECRET}\n`;
    await writeFile(credentialsFile, credentials);
    const report = await migrateKeys(input(memoryStore(), { profiles: ["nope", "b"] }));
    assert.deepEqual(
      report.results.map((r) => [r.profile, r.outcome]),
      [
        ["nope", "failed"],
        ["b", "migrated"],
      ],
    );
    assert.match(report.results[0]?.reason ?? "", /no aws_access_key_id for it/);
    assert.equal(
      await read(credentialsFile),
      `[a]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n[b]\n`,
    );
  });

  it("refuses incomplete keys", async () => {
    await writeFile(credentialsFile, `[half]\naws_access_key_id = ${ALICE_ID}\n`);
    const report = await migrateKeys(input(memoryStore()));
    assert.equal(report.results[0]?.outcome, "refused");
    assert.match(
      report.results[0].reason ?? "",
      /only aws_access_key_id is set \(~\/.aws\/credentials:2\)/,
    );
  });

  it("--dry-run changes nothing and shows a diff without key material", async () => {
    const credentials = `[dev]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n# aws_secret_access_key = ${BOB_SECRET}\n`;
    await writeFile(credentialsFile, credentials);
    const store = memoryStore();
    const report = await migrateKeys(input(store, { dryRun: true }));
    assert.equal(report.results[0]?.outcome, "would-migrate");
    assert.equal(await read(credentialsFile), credentials);
    assert.deepEqual(await readdir(dir), ["credentials"]);
    assert.deepEqual(await store.list(), []);
    assert.equal(
      report.diff,
      [
        "--- ~/.aws/config",
        "+++ ~/.aws/config",
        "@@ -0,0 +1,2 @@",
        "+[profile dev]",
        `+${CP("dev")}`,
        "--- ~/.aws/credentials",
        "+++ ~/.aws/credentials",
        "@@ -1,4 +1,2 @@",
        " [dev]",
        "-aws_access_key_id = ****0001",
        "-aws_secret_access_key = ****",
        " # aws_secret_access_key = ****",
        "",
      ].join("\n"),
    );
    for (const secret of [ALICE_SECRET, BOB_SECRET, ALICE_ID])
      assert.ok(!report.diff.includes(secret));
  });

  it("a store that fails to write: nothing in the files changes", async () => {
    const credentials = `[dev]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`;
    await writeFile(credentialsFile, credentials);
    const base = memoryStore();
    const store: SecretStore = { ...base, set: () => Promise.reject(new Error("keyring locked")) };
    const report = await migrateKeys(input(store));
    assert.equal(report.results[0]?.outcome, "failed");
    assert.match(
      report.results[0].reason ?? "",
      /could not store its keys.*keyring locked.*nothing was changed in the files/,
    );
    assert.equal(await read(credentialsFile), credentials);
    assert.equal(await read(configFile).catch(() => "absent"), "absent");
    // No edit followed, so no plain-text copy of the keys was left behind.
    assert.deepEqual(report.backups, []);
    assert.deepEqual(
      (await readdir(dirname(credentialsFile))).filter((n) => n.includes(".awsmfa-backup-")),
      [],
    );
  });

  it("a store that reads back something else: rolled back, files unchanged", async () => {
    const credentials = `[dev]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`;
    await writeFile(credentialsFile, credentials);
    const base = memoryStore();
    const store: SecretStore = {
      ...base,
      set: (kind, name, value) => base.set(kind, name, value.replace(ALICE_SECRET, BOB_SECRET)),
    };
    const report = await migrateKeys(input(store));
    assert.equal(report.results[0]?.outcome, "failed");
    assert.match(report.results[0].reason ?? "", /read back from the store differ/);
    assert.deepEqual(await base.list(), [], "the half-written item was removed");
    assert.equal(await read(credentialsFile), credentials);
  });

  it("a config file that cannot be edited: keys stay in the credentials file, the message says so", async () => {
    const credentials = `[dev]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`;
    await writeFile(credentialsFile, credentials);
    await writeFile(configFile, "[profile dev]\nregion = eu-west-1\n");
    const base = memoryStore();
    // Someone breaks the config file between our read and our edit.
    const store: SecretStore = {
      ...base,
      set: async (kind, name, value) => {
        await base.set(kind, name, value);
        await writeFile(configFile, "[profile dev]\nregion: eu-west-1\n");
      },
    };
    const report = await migrateKeys(input(store));
    assert.equal(report.results[0]?.outcome, "failed");
    assert.match(
      report.results[0].reason ?? "",
      /its keys are in the file store, but ~\/.aws\/config could not be edited \(~\/.aws\/config:2: .*\); the keys are still in the file, so your tools work as before/,
    );
    assert.equal(await read(credentialsFile), credentials);
  });

  it("a credentials file changed during the run: that profile's lines are left, the rest proceeds", async () => {
    await writeFile(
      credentialsFile,
      `[dev]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n[ops]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`,
    );
    const base = memoryStore();
    let n = 0;
    const store: SecretStore = {
      ...base,
      set: async (kind, name, value) => {
        await base.set(kind, name, value);
        if (++n === 2) {
          // dev's keys are rotated in the file while we work.
          const now = await read(credentialsFile);
          await writeFile(
            credentialsFile,
            now.replace(
              `[dev]\naws_access_key_id = ${ALICE_ID}`,
              `[dev]\naws_access_key_id = ${BOB_ID}`,
            ),
          );
        }
      },
    };
    const report = await migrateKeys(input(store));
    const by = new Map(report.results.map((r) => [r.profile, r]));
    assert.equal(by.get("dev")?.outcome, "failed");
    assert.match(by.get("dev")?.reason ?? "", /changed while migrating/);
    assert.equal(by.get("ops")?.outcome, "migrated");
    assert.equal(
      await read(credentialsFile),
      `[dev]\naws_access_key_id = ${BOB_ID}\naws_secret_access_key = ${ALICE_SECRET}\n[ops]\n`,
    );
  });

  it("refuses to rewrite a malformed file before doing anything", async () => {
    await writeFile(credentialsFile, `[dev]\naws_access_key_id: ${ALICE_ID}\n`);
    await assert.rejects(migrateKeys(input(memoryStore())), { code: "E_CONFIG_SYNTAX" });
    assert.deepEqual(await readdir(dir), ["credentials"]);
  });

  it("a backup that cannot be written changes nothing, the store included (--force)", async () => {
    const credentials = `[dev]\naws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`;
    await writeFile(credentialsFile, credentials);
    const config = "[profile dev]\nregion = us-east-1\n";
    await writeFile(configFile, config);
    // Every name the config's backup could take is taken.
    const stamp = `${configFile}.awsmfa-backup-20250102T030405Z`;
    for (let n = 0; n < 100; n++) await writeFile(n === 0 ? stamp : `${stamp}-${String(n)}`, "");
    const store = memoryStore();
    const old = JSON.stringify({ accessKeyId: BOB_ID, secretAccessKey: BOB_SECRET });
    await store.set("keys", "dev", old);

    await assert.rejects(migrateKeys(input(store, { force: true })), {
      code: "E_MIGRATE_BACKUP",
    });
    assert.equal(await store.get("keys", "dev"), old, "the store's keys were not replaced");
    assert.equal(await read(credentialsFile), credentials);
    assert.equal(await read(configFile), config);
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.startsWith("credentials.")),
      [],
      "the credentials backup made before the failure was taken back",
    );
  });

  it("a second backup in the same second gets its own name", async () => {
    const keys = `aws_access_key_id = ${ALICE_ID}\naws_secret_access_key = ${ALICE_SECRET}\n`;
    await writeFile(credentialsFile, `[a]\n${keys}`);
    const store = memoryStore();
    await migrateKeys(input(store));
    await writeFile(credentialsFile, `[b]\n${keys}`);
    const second = await migrateKeys(input(store));
    assert.ok(
      second.backups.some((b) => b.endsWith("credentials.awsmfa-backup-20250102T030405Z-1")),
    );
    assert.equal(await read(`${credentialsFile}.awsmfa-backup-20250102T030405Z`), `[a]\n${keys}`);
  });
});
