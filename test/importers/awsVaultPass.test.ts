/** Import from aws-vault's pass backend, for real: throw-away GPG key, temp password store. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { importFromAwsVault } from "../../src/importers/awsVault.ts";
import { makePassSandbox, missingPassTools } from "../keyring/passSandbox.ts";
import { memoryStore } from "../helpers/memoryStore.ts";
import { fixedClock } from "../helpers/fixedClock.ts";

const missing = missingPassTools();
if (missing.length > 0) {
  const reason = `${missing.join(", ")} not installed: apt-get install pass gnupg`;
  process.stderr.write(`\n!!! SKIPPED the aws-vault pass import test: ${reason}\n`);
  void it("imports from aws-vault's pass backend", (t) => {
    t.skip(reason);
  });
} else {
  const pass = await makePassSandbox("avpass");
  const { root, env, sh } = pass;
  const put = (key: string, data: object) =>
    sh(
      "pass",
      ["insert", "-m", "-f", `aws-vault/${key}`],
      JSON.stringify({
        Key: key,
        Data: Buffer.from(JSON.stringify(data)).toString("base64"),
        Label: `aws-vault (${key})`,
      }),
    );

  before(() => {
    pass.init();
    put("dev", { AccessKeyID: "AKIAEXAMPLEPASS0001", SecretAccessKey: "s1", SessionToken: "" });
    put("session,ZGV2,,1700000000", {
      AccessKeyID: "ASIAEXAMPLE",
      SecretAccessKey: "s",
      SessionToken: "t",
    });
  });
  after(pass.cleanup);

  void it("imports from aws-vault's pass backend (AWS_VAULT_PASS_PREFIX)", async () => {
    const store = memoryStore();
    const summary = await importFromAwsVault({
      from: "pass",
      profiles: [],
      dryRun: false,
      env: {
        ...env,
        AWS_VAULT_PASS_PASSWORD_STORE_DIR: join(root, "store"),
        AWS_VAULT_PASS_PREFIX: "aws-vault",
      },
      homedir: root,
      store,
      passphrase: () => Promise.reject(new Error("not used")),
      clock: fixedClock(0),
    });
    assert.deepEqual(summary.results, [
      { profile: "dev", outcome: "imported", accessKeyId: "****0001" },
    ]);
    assert.match((await store.get("keys", "dev")) ?? "", /AKIAEXAMPLEPASS0001/);
  });
}
