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

test("prompt: the five we have; an unknown one of ours is a usage error naming where it came from", () => {
  for (const name of ["terminal", "ykman", "zenity", "kdialog", "osascript"]) {
    assert.equal(resolveGlobals({ prompt: name }, {}).prompt, name);
  }
  assert.equal(resolveGlobals({}, { AWSMFA_PROMPT: "zenity" }).prompt, "zenity");
  assert.equal(
    resolveGlobals({ prompt: "kdialog" }, { AWSMFA_PROMPT: "zenity" }).prompt,
    "kdialog",
  );
  for (const [values, env, from] of [
    [{ prompt: "wincredui" }, {}, "--prompt"],
    [{}, { AWSMFA_PROMPT: "pinentry" }, "AWSMFA_PROMPT"],
  ] as const) {
    assert.throws(
      () => resolveGlobals(values, env),
      (e: unknown) => isAwsmfaError(e) && e.exitCode === 2 && e.message.includes(`(from ${from})`),
    );
  }
});

test("prompt: aws-vault's AWS_VAULT_PROMPT is used when we have it, and one we lack left in a shell does not break awsmfa", () => {
  assert.equal(resolveGlobals({}, { AWS_VAULT_PROMPT: "ykman" }).prompt, "ykman");
  assert.equal(resolveGlobals({}, { AWS_VAULT_PROMPT: "terminal" }).prompt, "terminal");
  assert.equal(resolveGlobals({}, { AWS_VAULT_PROMPT: "wincredui" }).prompt, undefined);
  assert.equal(
    resolveGlobals({}, { AWS_VAULT_PROMPT: "ykman", AWSMFA_PROMPT: "terminal" }).prompt,
    "terminal",
  );
});

test("file dir and debug", () => {
  assert.equal(resolveGlobals({ "file-dir": "/a" }, { AWSMFA_FILE_DIR: "/b" }).fileDir, "/a");
  assert.equal(resolveGlobals({}, { AWSMFA_FILE_DIR: "/b" }).fileDir, "/b");
  assert.equal(resolveGlobals({}, { AWSMFA_DEBUG: "1" }).debug, true);
  assert.equal(resolveGlobals({}, {}).debug, false);
});
