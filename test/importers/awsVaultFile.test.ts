/**
 * Import from aws-vault's file backend. The JWE files are built with an
 * independent JOSE implementation (the `jose` package), never with our reader.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CompactEncrypt } from "jose";
import { decryptAwsVaultJwe } from "../../src/importers/awsVaultJwe.ts";
import { importFromAwsVault, isAwsVaultNonKeyItem } from "../../src/importers/awsVault.ts";
import { memoryStore } from "../helpers/memoryStore.ts";
import { fixedClock } from "../helpers/fixedClock.ts";

const PASSPHRASE = "correct horse battery staple";

async function jwe(payload: string, passphrase = PASSPHRASE, p2c = 8192): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(payload))
    .setProtectedHeader({
      alg: "PBES2-HS256+A128KW",
      enc: "A256GCM",
      created: "2024-01-01 00:00:00",
    })
    .setKeyManagementParameters({ p2c })
    .encrypt(new TextEncoder().encode(passphrase));
}

/** What aws-vault's file backend writes for one item (keyring.Item JSON, Data base64). */
function item(key: string, data: object): string {
  return JSON.stringify({
    Key: key,
    Data: Buffer.from(JSON.stringify(data)).toString("base64"),
    Label: `aws-vault (${key})`,
    Description: "",
    KeychainNotTrustApplication: true,
    KeychainNotSynchronizable: false,
  });
}

/** aws-vault's file name: "%" and "/" percent-encoded. */
const fileName = (key: string) => key.replaceAll("%", "%25").replaceAll("/", "%2F");

void describe("aws-vault's JWE items", () => {
  it("decrypts what jose encrypts", async () => {
    const token = await jwe("hello");
    assert.equal(decryptAwsVaultJwe(token, PASSPHRASE, "t").toString(), "hello");
  });
  it("says the passphrase is wrong", async () => {
    const token = await jwe("hello");
    assert.throws(() => decryptAwsVaultJwe(token, "nope", "t"), { code: "E_IMPORT_PASSPHRASE" });
  });
  it("refuses tampered content and absurd iteration counts", async () => {
    const parts = (await jwe("hello")).split(".");
    const ct = Buffer.from(parts[3] ?? "", "base64url");
    ct[0] = (ct[0] ?? 0) ^ 1;
    parts[3] = ct.toString("base64url");
    assert.throws(() => decryptAwsVaultJwe(parts.join("."), PASSPHRASE, "t"), {
      code: "E_IMPORT_MALFORMED",
    });
    const [, ...rest] = (await jwe("x")).split(".");
    const header = Buffer.from(
      JSON.stringify({ alg: "PBES2-HS256+A128KW", enc: "A256GCM", p2c: 1e9, p2s: "AAAAAAAAAAA" }),
    ).toString("base64url");
    assert.throws(() => decryptAwsVaultJwe([header, ...rest].join("."), PASSPHRASE, "t"), {
      code: "E_IMPORT_MALFORMED",
      message: /iteration count/,
    });
  });
  it("tells session and token items from long-term keys", () => {
    assert.equal(isAwsVaultNonKeyItem("dev"), false);
    assert.equal(isAwsVaultNonKeyItem("session,ZGV2,,1700000000"), true);
    assert.equal(isAwsVaultNonKeyItem("oidc:https://example.awsapps.com/start"), true);
    assert.equal(isAwsVaultNonKeyItem("dev session (1700000000)"), true);
  });
});

void describe("importFromAwsVault --from file", () => {
  let home = "";
  const clock = fixedClock(Date.parse("2025-01-02T03:04:05Z"));
  const v2 = (id: string) => ({
    AccessKeyID: id,
    SecretAccessKey: `secret-of-${id}`,
    SessionToken: "",
    Source: "",
    CanExpire: false,
    Expires: "0001-01-01T00:00:00Z",
  });
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "awsmfa-import-"));
    const dir = join(home, ".awsvault", "keys");
    await mkdir(dir, { recursive: true });
    const put = async (key: string, data: object) =>
      writeFile(join(dir, fileName(key)), await jwe(item(key, data)), { mode: 0o600 });
    await put("dev", v2("AKIAEXAMPLEDEV00001"));
    // aws-sdk-go v1's credentials.Value, as older aws-vault versions wrote it.
    await put("team/prod", {
      AccessKeyID: "AKIAEXAMPLEPROD0002",
      SecretAccessKey: "s2",
      SessionToken: "",
      ProviderName: "",
    });
    await put("already", v2("AKIAEXAMPLEALRD0003"));
    await put("session,ZGV2,,1700000000", { ...v2("ASIAEXAMPLESESS0004"), SessionToken: "tok" });
    await put("oidc:https://example.awsapps.com/start", { Token: {} });
  });
  after(() => rm(home, { recursive: true, force: true }));

  const input = (store = memoryStore(), extra: object = {}) => ({
    from: "file" as const,
    profiles: [],
    dryRun: false,
    env: { AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE },
    homedir: home,
    store,
    passphrase: () => Promise.reject(new Error("must not prompt")),
    clock,
    ...extra,
  });

  it("imports long-term keys, skips what is there, never sessions; deletes nothing", async () => {
    const store = memoryStore();
    await store.set("keys", "already", '{"accessKeyId":"AKIAOURS","secretAccessKey":"x"}');
    const before = await readdir(join(home, ".awsvault", "keys"));
    const summary = await importFromAwsVault(input(store));
    assert.deepEqual(summary.results, [
      { profile: "already", outcome: "skipped", reason: "already in the file store" },
      { profile: "dev", outcome: "imported", accessKeyId: "****0001" },
      { profile: "team/prod", outcome: "imported", accessKeyId: "****0002" },
    ]);
    assert.deepEqual(JSON.parse((await store.get("keys", "dev")) ?? ""), {
      accessKeyId: "AKIAEXAMPLEDEV00001",
      secretAccessKey: "secret-of-AKIAEXAMPLEDEV00001",
      addedAt: "2025-01-02T03:04:05.000Z",
    });
    assert.equal(
      await store.get("keys", "already"),
      '{"accessKeyId":"AKIAOURS","secretAccessKey":"x"}',
    );
    assert.deepEqual(await store.list("session"), []);
    assert.deepEqual(await readdir(join(home, ".awsvault", "keys")), before);
  });

  it("--dry-run writes nothing; --profile picks; a missing profile fails by name", async () => {
    const store = memoryStore();
    const summary = await importFromAwsVault(
      input(store, { dryRun: true, profiles: ["dev", "nope"] }),
    );
    assert.deepEqual(
      summary.results.map((r) => [r.profile, r.outcome]),
      [
        ["dev", "would-import"],
        ["nope", "failed"],
      ],
    );
    assert.deepEqual(await store.list(), []);
  });

  it("asks for the passphrase once when the variable is unset, and stops on a wrong one", async () => {
    let asked = 0;
    const ok = await importFromAwsVault(
      input(memoryStore(), { env: {}, passphrase: () => (asked++, Promise.resolve(PASSPHRASE)) }),
    );
    assert.equal(asked, 1);
    assert.equal(ok.results.filter((r) => r.outcome === "imported").length, 3);
    await assert.rejects(
      importFromAwsVault(input(memoryStore(), { env: { AWS_VAULT_FILE_PASSPHRASE: "wrong" } })),
      { code: "E_IMPORT_PASSPHRASE" },
    );
  });

  it("says where it looked when there is no store", async () => {
    await assert.rejects(
      importFromAwsVault(input(memoryStore(), { env: { AWS_VAULT_FILE_DIR: join(home, "none") } })),
      { code: "E_IMPORT_NOT_FOUND" },
    );
  });

  it("refuses keychain and kwallet with a way around", async () => {
    await assert.rejects(importFromAwsVault(input(memoryStore(), { from: "keychain" })), {
      code: "E_IMPORT_UNSUPPORTED",
      hint: /exec --no-session/,
    });
  });
});
