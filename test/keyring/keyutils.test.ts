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

void it("keyutils backend: a write the next process could not read fails loudly instead of 'stored'", async (t) => {
  if (!requireCommands(t, ["keyctl"], "apt-get install keyutils")) return;
  const child = ["node", "--import", "tsx", "test/keyring/children/keyutilsWrite.child.ts"];
  const result = async (argv: string[]): Promise<unknown> => {
    const r = await run(argv);
    assert.equal(r.code, 0, r.output);
    const last = r.output.trim().split("\n").at(-1) ?? "";
    return JSON.parse(last);
  };

  // In a session keyring of its own, a write is there for the next process.
  assert.deepEqual(await result(["keyctl", "session", "-", ...child]), {
    ok: true,
    readBack: "value-1",
  });

  // Without one (no PAM login: this test runner when started from a plain
  // container shell), keys live only as long as the process that wrote them.
  const ses = await run(["keyctl", "rdescribe", "@s"]);
  if (!/;_uid_ses\.\d+$/.test(ses.output.trim())) {
    const why = `this process has its own session keyring (${ses.output.trim()}), so the case without one cannot be made here`;
    process.stderr.write(`\n!!! SKIPPED ${t.name}: ${why}\n`);
    t.skip(why);
    return;
  }
  // Either the helper is refused outright (AccessDenied) or the write
  // seems to work and a fresh process cannot read it: both must fail with
  // the hint that names the cause, and leave nothing behind.
  const failed = Object(await result(child)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(failed).sort(), ["code", "hint", "left", "message"]);
  assert.equal(failed.code, "E_KEYRING");
  assert.match(
    String(failed.message),
    /^The kernel keyring \(keyutils\) (failed: .*AccessDenied|accepted the keys item for 'dev' but did not give it back when read\.)$/,
  );
  assert.equal(
    failed.hint,
    "A process reads only the kernel keys it possesses through its session keyring (keyctl show @s): run awsmfa in a login session or under 'keyctl session', or use --backend file.",
  );
  assert.deepEqual(failed.left, []);
});
