/**
 * regression (#9 item 13): the file store passphrase (AWSMFA_FILE_PASSPHRASE,
 * and aws-vault's AWS_VAULT_FILE_PASSPHRASE that we read) reached every
 * process awsmfa started. Each builder of a child environment leaves it out.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { AwsmfaError } from "../../src/errors.ts";
import { buildChildEnv } from "../../src/output/childEnv.ts";
import { inheritedEnv } from "../../src/platform/inheritedEnv.ts";
import { runTool } from "../../src/platform/runTool.ts";

const PARENT = {
  PATH: process.env.PATH,
  HOME: "/home/u",
  AWSMFA_FILE_PASSPHRASE: "correct horse battery staple",
  AWS_VAULT_FILE_PASSPHRASE: "aws-vault passphrase",
  UNSET: undefined,
};

test("regression (#9 item 13): inheritedEnv keeps everything but the store passphrases", () => {
  const env = inheritedEnv(PARENT);
  assert.equal(env.HOME, "/home/u");
  assert.equal(env.PATH, process.env.PATH);
  assert.ok(!("UNSET" in env));
  assert.ok(!("AWSMFA_FILE_PASSPHRASE" in env));
  assert.ok(!("AWS_VAULT_FILE_PASSPHRASE" in env));
});

test("regression (#9 item 13): an exec child does not get the store passphrase", () => {
  const env = buildChildEnv(
    PARENT,
    {
      accessKeyId: "ASIAFAKE000000000001",
      secretAccessKey: "s",
      sessionToken: "t",
      expiration: new Date(0),
    },
    "p",
  );
  assert.equal(env.AWSMFA_PROFILE, "p");
  assert.equal(env.HOME, "/home/u");
  assert.equal(env.AWSMFA_FILE_PASSPHRASE, undefined);
  assert.equal(env.AWS_VAULT_FILE_PASSPHRASE, undefined);
});

test("regression (#9 item 13): a helper tool (pass, secret-tool) does not get the store passphrase", async () => {
  const r = await runTool("env", [], {
    env: PARENT,
    timeoutMs: 30_000,
    timedOut: () => new AwsmfaError("E_PROCESS_TIMEOUT", "env timed out"),
    missing: () => new AwsmfaError("E_PROCESS_NOT_FOUND", "env is missing"),
  });
  assert.equal(r.code, 0, r.stderr);
  const names = r.stdout.split("\n").map((l) => l.split("=")[0]);
  assert.ok(names.includes("HOME"));
  assert.ok(!names.includes("AWSMFA_FILE_PASSPHRASE"));
  assert.ok(!names.includes("AWS_VAULT_FILE_PASSPHRASE"));
});
