// Runs inside dbus-run-session with an unlocked gnome-keyring (see
// ../awsVaultSecretService.test.ts). Items are written the way aws-vault's
// secret-service backend writes them: label = key, attribute profile = key,
// secret = the keyring item JSON; here in the "login" collection.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { it } from "node:test";
import { importFromAwsVault } from "../../../src/importers/awsVault.ts";
import { memoryStore } from "../../helpers/memoryStore.ts";
import { fixedClock } from "../../helpers/fixedClock.ts";

const put = (key: string, data: object) =>
  execFileSync(
    "secret-tool",
    [
      "store",
      `--label=${key}`,
      "--collection=/org/freedesktop/secrets/collection/login",
      "profile",
      key,
    ],
    {
      input: JSON.stringify({
        Key: key,
        Data: Buffer.from(JSON.stringify(data)).toString("base64"),
      }),
    },
  );

void it("imports from aws-vault's secret-service backend", async () => {
  put("dev", { AccessKeyID: "AKIAEXAMPLESSVC0001", SecretAccessKey: "s1", SessionToken: "" });
  put("session,ZGV2,,1700000000", {
    AccessKeyID: "ASIAEXAMPLE",
    SecretAccessKey: "s",
    SessionToken: "t",
  });
  const store = memoryStore();
  const summary = await importFromAwsVault({
    from: "secret-service",
    profiles: [],
    dryRun: false,
    env: { ...process.env, AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME: "login" },
    homedir: process.env.HOME ?? "/",
    store,
    passphrase: () => Promise.reject(new Error("not used")),
    clock: fixedClock(0),
  });
  assert.deepEqual(summary.results, [
    { profile: "dev", outcome: "imported", accessKeyId: "****0001" },
  ]);
  assert.match((await store.get("keys", "dev")) ?? "", /AKIAEXAMPLESSVC0001/);
});
