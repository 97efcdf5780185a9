/**
 * `awsmfa import aws-vault` through the built bin, reading aws-vault's file
 * backend. The JWE files are built with the `jose` package (an independent
 * JOSE implementation), the way aws-vault's file backend writes them.
 */
import assert from "node:assert/strict";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CompactEncrypt } from "jose";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";

const VAULT_PASSPHRASE = "aws-vault passphrase";
const ALICE = {
  accessKeyId: "AKIAFAKEALICE0000001",
  secretAccessKey: "fake/alice/secret/key/not/real/000000001",
};
const BOB = {
  accessKeyId: "AKIAFAKEBOB000000001",
  secretAccessKey: "fake/bob/secret/key/not/real/00000000001",
};

async function jwe(payload: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(payload))
    .setProtectedHeader({
      alg: "PBES2-HS256+A128KW",
      enc: "A256GCM",
      created: "2024-01-01 00:00:00",
    })
    .setKeyManagementParameters({ p2c: 8192 })
    .encrypt(new TextEncoder().encode(VAULT_PASSPHRASE));
}

/** One aws-vault file-backend item: keyring.Item JSON whose Data is the credentials JSON. */
async function vaultItem(
  dir: string,
  key: string,
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<void> {
  const data = {
    AccessKeyID: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
    SessionToken: creds.sessionToken ?? "",
    Source: "",
    CanExpire: creds.sessionToken !== undefined,
    Expires: "0001-01-01T00:00:00Z",
  };
  const item = JSON.stringify({
    Key: key,
    Data: Buffer.from(JSON.stringify(data)).toString("base64"),
    Label: `aws-vault (${key})`,
    Description: "",
  });
  const name = key.replaceAll("%", "%25").replaceAll("/", "%2F");
  await writeFile(join(dir, name), await jwe(item), { mode: 0o600 });
}

interface Listed {
  profiles: { name: string; storedKeys: boolean }[];
}

void describe("awsmfa import aws-vault (CLI, file backend)", () => {
  let sb: Sandbox;
  let vaultDir = "";
  const withPassphrase = { AWS_VAULT_FILE_PASSPHRASE: VAULT_PASSPHRASE };
  const stored = async (): Promise<string[]> => {
    const r = await sb.run(["list", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const listed = JSON.parse(r.stdout) as Listed;
    return listed.profiles.filter((p) => p.storedKeys).map((p) => p.name);
  };

  before(async () => {
    sb = await makeSandbox();
    vaultDir = join(sb.home, ".awsvault", "keys");
    await mkdir(vaultDir, { recursive: true });
    await vaultItem(vaultDir, "dev", ALICE);
    await vaultItem(vaultDir, "prod", BOB);
    await vaultItem(vaultDir, "session,ZGV2,,1700000000", {
      accessKeyId: "ASIAFAKE000000000001",
      secretAccessKey: "x",
      sessionToken: "token",
    });
    await sb.writeConfig("[profile dev]\nregion = us-east-1\n\n[profile prod]\n");
  });
  after(async () => {
    await sb.cleanup();
  });

  it("rejects an unknown --from, listing the backends it reads", async () => {
    const r = await sb.run(["import", "aws-vault", "--from", "wincred"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read aws-vault's 'wincred' backend \(from --from\)/);
    assert.match(
      r.stderr,
      /hint: Use --from with one of: file, keychain, secret-service, kwallet, pass\./,
    );
  });

  it("needs 'aws-vault' as what to import from", async () => {
    const r = await sb.run(["import"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /import from where\? Only 'aws-vault' is supported/);
  });

  it("without the passphrase and without a terminal, says which variable to set", async () => {
    const r = await sb.run(["import", "aws-vault", "--from", "file"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /No terminal to ask for the passphrase of aws-vault's file store/);
    assert.match(r.stderr, /hint: Set AWS_VAULT_FILE_PASSPHRASE/);
    assert.deepEqual(await stored(), []);
  });

  it("a wrong passphrase stops the import and writes nothing", async () => {
    const r = await sb.run(["import", "aws-vault", "--from", "file"], {
      env: { AWS_VAULT_FILE_PASSPHRASE: "wrong" },
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /passphrase/i);
    assert.doesNotMatch(r.stderr, /wrong/);
    assert.deepEqual(await stored(), []);
  });

  it("--dry-run says what it would import and writes nothing", async () => {
    const r = await sb.run(["import", "aws-vault", "--from", "file", "--dry-run"], {
      env: withPassphrase,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /Dry run: would import from aws-vault's file store \(~\/.awsvault\/keys\/?\)/,
    );
    assert.match(r.stderr, /dev +would import +\*\*\*\*0001/);
    assert.deepEqual(await stored(), []);
  });

  it("a named profile aws-vault does not have fails by name (exit 1); the others are imported", async () => {
    const r = await sb.run(
      ["import", "aws-vault", "--from", "file", "-p", "dev", "--profile", "nope"],
      {
        env: withPassphrase,
      },
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /dev +imported +\*\*\*\*0001/);
    assert.match(r.stderr, /nope +FAILED +no long-term keys for it in/);
    assert.match(r.stderr, /1 imported, 1 failed\./);
    assert.deepEqual(await stored(), ["dev"]);
  });

  it("imports the rest by default from AWS_VAULT_BACKEND, skips what is stored and the sessions, deletes nothing", async () => {
    const vaultBefore = await readdir(vaultDir);
    const r = await sb.run(["import", "aws-vault"], {
      env: { ...withPassphrase, AWS_VAULT_BACKEND: "file" },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /dev +skipped +already in the file store/);
    assert.match(r.stderr, /prod +imported +\*\*\*\*0001/);
    assert.doesNotMatch(r.stderr, /session/);
    assert.match(r.stderr, /aws-vault's store was left as it was/);
    for (const secret of [ALICE.secretAccessKey, BOB.secretAccessKey, BOB.accessKeyId]) {
      assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret));
    }
    assert.deepEqual((await stored()).sort(), ["dev", "prod"]);
    assert.deepEqual(await readdir(vaultDir), vaultBefore);
    // The imported keys are the ones aws-vault held.
    const out = await sb.run(["export", "--no-session", "--format", "credential-process", "prod"]);
    assert.equal(out.code, 0, out.stderr);
    const creds = JSON.parse(out.stdout) as { AccessKeyId: string; SecretAccessKey: string };
    assert.equal(creds.AccessKeyId, BOB.accessKeyId);
    assert.equal(creds.SecretAccessKey, BOB.secretAccessKey);
  });

  it("without --from or AWS_VAULT_BACKEND on Linux without a desktop session, reads the file store", async (t) => {
    if (process.platform !== "linux") {
      t.skip("the platform default differs off Linux");
      return;
    }
    const r = await sb.run(["--debug", "import", "aws-vault", "--dry-run"], {
      env: { ...withPassphrase, DBUS_SESSION_BUS_ADDRESS: undefined },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /reading aws-vault's file backend \(aws-vault's default without a desktop session\)/,
    );
  });
});
