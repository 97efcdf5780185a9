/**
 * Plans with a Vault source (issue #14): where vault_path sits in the order
 * of long-term sources, and that STS credentials from Vault count as
 * temporary (a session already), so no GetSessionToken is ever planned on
 * them, while an iam_user lease's keys are long-term like stored keys.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { planCredentials } from "../../src/credentials/getCredentials.ts";
import { isAwsmfaError } from "../../src/errors.ts";
import { ALICE_MFA, makeConfig, prof } from "./helpers.ts";

const ROLE = "arn:aws:iam::111111111111:role/readonly";
const plan = (config: ReturnType<typeof makeConfig>, profile: string, stored: string[] = []) =>
  planCredentials(config, { profile }, { storedKeys: new Set(stored), env: {} });

test("vault_path wins over the profile's own credential_process that calls awsmfa back, its stored keys and plain keys", () => {
  const p = prof("v", {
    vaultPath: "aws/sts/ro",
    raw: { vault_path: "aws/sts/ro" },
    credentialProcess: "awsmfa export --format credential-process v",
    staticKeys: {
      accessKeyId: "AKIAFAKELEFTOVER0001",
      secretAccessKey: "x",
      where: { file: "/home/u/.aws/credentials", line: 2 },
    },
  });
  const r = plan(makeConfig(p), "v", ["v"]);
  assert.equal(r.source.kind, "vault");
  assert.deepEqual(r.steps, [], "Vault's STS credentials are handed out as they are");
  assert.ok(
    r.notes.some((n) => n.includes("vault_path wins over its stored keys, its keys in plain text")),
  );
});

test("a role chained from Vault STS credentials: AssumeRole only, no GetSessionToken", () => {
  const config = makeConfig(
    prof("v", { vaultPath: "aws/sts/ro", raw: { vault_path: "aws/sts/ro" } }),
    prof("r", { roleArn: ROLE, sourceProfile: "v" }),
  );
  const r = plan(config, "r");
  assert.deepEqual(
    r.steps.map((s) => s.kind),
    ["role"],
  );
  assert.equal(r.steps[0]?.mfa, undefined);
  assert.ok(r.notes.some((n) => n.includes("no GetSessionToken on them")));
});

test("a role with MFA over Vault iam_user keys: one MFA session first, as over stored keys", () => {
  const config = makeConfig(
    prof("v", { vaultPath: "aws/creds/deployer", raw: { vault_path: "aws/creds/deployer" } }),
    prof("r", { roleArn: ROLE, sourceProfile: "v", mfaSerial: ALICE_MFA }),
  );
  const r = plan(config, "r");
  assert.deepEqual(
    r.steps.map((s) => s.kind),
    ["session", "role"],
  );
  // Without a role, no session is added on the lease's keys: they are handed out as leased.
  assert.deepEqual(plan(config, "v").steps, []);
});

test("mfa_serial over Vault STS credentials is refused: GetSessionToken needs long-term keys", () => {
  const config = makeConfig(
    prof("v", { vaultPath: "aws/sts/ro", raw: { vault_path: "aws/sts/ro" } }),
    prof("m", { sourceProfile: "v", mfaSerial: ALICE_MFA }),
  );
  assert.throws(
    () => plan(config, "m"),
    (e: unknown) => isAwsmfaError(e) && e.code === "E_MFA_AFTER_TEMPORARY",
  );
});
