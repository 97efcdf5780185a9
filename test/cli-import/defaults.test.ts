import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  defaultAwsVaultSource,
  formatImportSummary,
  parseSource,
} from "../../src/cli/commands/import.ts";

void describe("import: which aws-vault store", () => {
  it("AWS_VAULT_BACKEND wins, then the platform's default", () => {
    assert.deepEqual(defaultAwsVaultSource({ AWS_VAULT_BACKEND: "pass" }, "darwin"), {
      name: "pass",
      from: "AWS_VAULT_BACKEND",
    });
    assert.equal(defaultAwsVaultSource({}, "darwin").name, "keychain");
    assert.equal(
      defaultAwsVaultSource({ DBUS_SESSION_BUS_ADDRESS: "unix:path=/x" }, "linux").name,
      "secret-service",
    );
    assert.equal(defaultAwsVaultSource({}, "linux").name, "file");
    assert.equal(defaultAwsVaultSource({ AWS_VAULT_BACKEND: "" }, "linux").name, "file");
  });
  it("reads aws-vault's names case-insensitively and refuses the rest with the list", () => {
    assert.equal(parseSource("KWallet", "--from"), "kwallet");
    assert.throws(() => parseSource("keyctl", "AWS_VAULT_BACKEND"), {
      code: "E_USAGE",
      message: /'keyctl' backend \(from AWS_VAULT_BACKEND\)/,
      hint: /file, keychain, secret-service, kwallet, pass/,
    });
  });
});

void describe("formatImportSummary", () => {
  it("one line per profile, counts, and a note that aws-vault's store is untouched", () => {
    const text = formatImportSummary(
      {
        from: "file",
        location: "/home/u/.awsvault/keys/",
        dryRun: false,
        results: [
          { profile: "dev", outcome: "imported", accessKeyId: "****0001" },
          { profile: "production", outcome: "skipped", reason: "already in the file store" },
        ],
      },
      "file",
      (p) => p.replace("/home/u", "~"),
    );
    assert.equal(
      text,
      "Importing from aws-vault's file store (~/.awsvault/keys/) into the file store:\n" +
        "  dev         imported  ****0001\n" +
        "  production  skipped   already in the file store\n" +
        "1 imported, 1 skipped. aws-vault's store was left as it was.\n",
    );
  });
  it("says so when there is nothing", () => {
    assert.equal(
      formatImportSummary(
        { from: "pass", location: "pass in /p", dryRun: false, results: [] },
        "file",
      ),
      "No long-term keys found in aws-vault's pass store (pass in /p).\n",
    );
  });
});
