import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveGlobals } from "./globals.ts";
import { isAwsmfaError } from "../errors.ts";

test("backend: flag, then AWSMFA_BACKEND, then aws-vault's variable (with its names)", () => {
  assert.equal(resolveGlobals({ backend: "pass" }, { AWSMFA_BACKEND: "file" }).backend, "pass");
  assert.equal(
    resolveGlobals({}, { AWSMFA_BACKEND: "file", AWS_VAULT_BACKEND: "pass" }).backend,
    "file",
  );
  assert.equal(resolveGlobals({}, { AWS_VAULT_BACKEND: "keyctl" }).backend, "keyutils");
  assert.equal(resolveGlobals({}, {}).backend, undefined);
});

test("prompt: only the terminal; an unsupported one of ours is a usage error naming where it came from", () => {
  assert.equal(resolveGlobals({ prompt: "terminal" }, {}).prompt, "terminal");
  for (const [values, env, from] of [
    [{ prompt: "zenity" }, {}, "--prompt"],
    [{}, { AWSMFA_PROMPT: "osascript" }, "AWSMFA_PROMPT"],
  ] as const) {
    assert.throws(
      () => resolveGlobals(values, env),
      (e: unknown) => isAwsmfaError(e) && e.exitCode === 2 && e.message.includes(`(from ${from})`),
    );
  }
});

test("prompt: aws-vault's AWS_VAULT_PROMPT=ykman left in a shell does not break awsmfa", () => {
  assert.equal(resolveGlobals({}, { AWS_VAULT_PROMPT: "ykman" }).prompt, undefined);
  assert.equal(resolveGlobals({}, { AWS_VAULT_PROMPT: "terminal" }).prompt, "terminal");
});

test("file dir and debug", () => {
  assert.equal(resolveGlobals({ "file-dir": "/a" }, { AWSMFA_FILE_DIR: "/b" }).fileDir, "/a");
  assert.equal(resolveGlobals({}, { AWSMFA_FILE_DIR: "/b" }).fileDir, "/b");
  assert.equal(resolveGlobals({}, { AWSMFA_DEBUG: "1" }).debug, true);
  assert.equal(resolveGlobals({}, {}).debug, false);
});
