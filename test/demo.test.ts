/** The README's "run it" command: `npm run demo -- --yes` works on a fresh clone. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { runProcess } from "./helpers/sandbox.ts";

test("the demo stores keys, prompts once, assumes the role and reuses the cached session", async () => {
  const root = resolve(import.meta.dirname, "..");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(AWS|AWSMFA)/.test(k)) env[k] = v;
  }
  const r = await runProcess(
    process.execPath,
    ["--import", "tsx", resolve(root, "scripts/demo.ts"), "--yes"],
    env,
    { timeoutMs: 90_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  const arns = r.stdout.match(/arn:aws:sts::111111111111:assumed-role\/admin\/[\w+=,.@-]+/g) ?? [];
  assert.equal(arns.length, 2, r.stdout);
  // One MFA session and one role for two runs: the second came from the cache.
  assert.match(
    r.stderr,
    /fake-aws saw: GetSessionToken, AssumeRole, GetCallerIdentity, GetCallerIdentity/,
  );
  assert.doesNotMatch(r.stdout + r.stderr, /fake\/alice\/secret/);
});
