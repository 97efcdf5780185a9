import { test } from "node:test";
import assert from "node:assert/strict";
import { processRunner } from "../../src/credentials/runProcess.ts";
import { AwsmfaError } from "../../src/errors.ts";

const runProcess = processRunner(process.platform);

const node = JSON.stringify(process.execPath);
const opts = {
  env: { PATH: process.env.PATH ?? "", GREETING: "hi" },
  timeoutMs: 10_000,
  what: "test process",
};

test("simple command lines run without a shell: quotes are arguments, not syntax", async () => {
  const r = await runProcess(
    `${node} -e "process.stdout.write(JSON.stringify(process.argv.slice(1)))" 'a b' '$HOME'`,
    opts,
  );
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout), ["a b", "$HOME"]);
});

test(
  "shell syntax falls back to /bin/sh -c, with the env given",
  { skip: process.platform === "win32" },
  async () => {
    const r = await runProcess(`echo "$GREETING" | tr a-z A-Z`, opts);
    assert.equal(r.stdout, "HI\n");
    assert.equal((await runProcess(`${node} -e "process.exit(3)"`, opts)).code, 3);
  },
);

test("a missing program, and one that hangs, fail with clear errors", async () => {
  await assert.rejects(runProcess("/nonexistent/awsmfa-helper", opts), (e: unknown) => {
    assert.ok(e instanceof AwsmfaError);
    assert.equal(e.code, "E_PROCESS_NOT_FOUND");
    return true;
  });
  await assert.rejects(
    runProcess(`${node} -e "setTimeout(() => {}, 60000)"`, { ...opts, timeoutMs: 300 }),
    (e: unknown) => {
      assert.ok(e instanceof AwsmfaError);
      assert.equal(e.code, "E_PROCESS_TIMEOUT");
      assert.match(e.message, /test process/);
      return true;
    },
  );
});
