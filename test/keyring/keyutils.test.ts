/**
 * The keyutils backend against the real kernel keyring, in a fresh session
 * keyring (`keyctl session -`) so nothing leaks into the caller's keyrings.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { nodeTestArgv, requireCommands, run } from "./helpers.ts";

void it("keyutils backend: contract suite in a fresh kernel session keyring", async (t) => {
  if (!requireCommands(t, ["keyctl"], "apt-get install keyutils")) return;
  const r = await run([
    "keyctl",
    "session",
    "-",
    ...nodeTestArgv("test/keyring/children/keyutils.child.ts"),
  ]);
  assert.equal(r.code, 0, `child test run failed:\n${r.output}`);
  assert.match(r.output, /# pass [1-9]/);
  assert.match(r.output, /# fail 0/);
});
