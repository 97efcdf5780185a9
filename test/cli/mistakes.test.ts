/** Mistakes get one clear message and a non-zero exit, never a quiet success. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";

let sb: Sandbox;
before(async () => {
  sb = await makeSandbox();
  await sb.writeConfig("[profile dev]\nregion = eu-west-1\n");
});
after(() => sb.cleanup());

test("clear <typo> fails instead of 'Removed 0 cached sessions' (regression)", async () => {
  const r = await sb.run(["clear", "dve"]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /No profile 'dve'/);
  assert.match(r.stderr, /hint: Run 'awsmfa list'/);
  const ok = await sb.run(["clear", "dev"]);
  assert.equal(ok.code, 0, ok.stderr);
});

test("an unreadable AWSMFA_RESOLVING_PROFILES is reported, not taken as empty (cycle detection stays on)", async () => {
  const r = await sb.run(["export", "dev", "-n"], {
    env: { AWSMFA_RESOLVING_PROFILES: "not json" },
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /AWSMFA_RESOLVING_PROFILES is set but is not a JSON list/);
});
