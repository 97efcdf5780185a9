import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isAwsmfaError } from "../../src/errors.ts";
import { runChild, type RunChildOptions } from "../../src/platform/runChild.ts";
import { runKeyringOps } from "../../src/store/keyring/keyringProcess.ts";

const node = process.execPath;
const base: RunChildOptions = {
  file: node,
  args: [],
  env: { PATH: process.env.PATH ?? "" },
  timeoutMs: 20_000,
  killSignal: "SIGKILL",
  stdin: { input: "" },
  stderr: "capture",
  maxOutputBytes: 1 << 20,
};
const script = (code: string, over: Partial<RunChildOptions> = {}) =>
  runChild({ ...base, args: ["-e", code], ...over });

void describe("runChild: the one child-process runner", () => {
  it("passes argv as given (no shell) and only the env given", async () => {
    process.env.AWSMFA_TEST_NOT_GIVEN = "leak";
    try {
      const r = await runChild({
        ...base,
        args: [
          "-e",
          "console.log(JSON.stringify([process.argv.slice(1), process.env.AWSMFA_TEST_NOT_GIVEN ?? null, process.env.GIVEN]))",
          "$HOME",
          "a b",
        ],
        env: { ...base.env, GIVEN: "yes" },
      });
      assert.ok(r.kind === "exited", r.kind);
      assert.deepEqual(JSON.parse(r.stdout), [["$HOME", "a b"], null, "yes"]);
    } finally {
      delete process.env.AWSMFA_TEST_NOT_GIVEN;
    }
  });
  it("writes the input to stdin and closes it; captures stderr and the exit code", async () => {
    const r = await script(
      "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{process.stdout.write(s.toUpperCase());console.error('err');process.exit(4)})",
      { stdin: { input: "secret on stdin" } },
    );
    assert.deepEqual(r, { kind: "exited", code: 4, stdout: "SECRET ON STDIN", stderr: "err\n" });
  });
  it("stops a child that prints more than the cap", async () => {
    const r = await script("setInterval(()=>process.stdout.write('x'.repeat(65536)),1)", {
      maxOutputBytes: 100_000,
    });
    assert.deepEqual(r, { kind: "too-much-output" });
  });
  it("stops a child that outlives its bound", async () => {
    const r = await script("setTimeout(()=>{},60000)", { timeoutMs: 300 });
    assert.deepEqual(r, { kind: "timed-out" });
  });
  it("says when the program does not exist", async () => {
    const r = await runChild({ ...base, file: "/nonexistent/awsmfa-tool" });
    assert.equal(r.kind, "not-found");
  });
  it("the keyring helper started through it reports a node that cannot start", async () => {
    await assert.rejects(
      runKeyringOps(
        { store: "secret-service", service: "awsmfa", ops: [{ op: "get", account: "x" }] },
        { env: {}, timeoutMs: 20_000, nodePath: "/nonexistent/node" },
      ),
      (e: unknown) => {
        assert.ok(isAwsmfaError(e));
        assert.equal(e.code, "E_KEYRING");
        assert.match(e.message, /could not start \/nonexistent\/node/);
        return true;
      },
    );
  });
});
