/**
 * The keyutils backend against the real kernel keyring, in a fresh session
 * keyring (`keyctl session -`) so nothing leaks into the caller's keyrings.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
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

void it("keyutils backend: says 'stored' only when a second process can read the key, else fails loudly", async (t) => {
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

  // In the keyrings this test runner has (on a plain container shell: none
  // of its own, and there a key dies with the process that wrote it), the
  // store's verdict must match what a second process can really read. The
  // oracle is @napi-rs/keyring itself, used raw: one process writes (after a
  // read, as `awsmfa add` does), another reads.
  const probe = `awsmfa-probe-${randomBytes(4).toString("hex")}`;
  const raw = (code: string) =>
    run([
      "node",
      "-e",
      `const { Entry } = require("@napi-rs/keyring");
       const e = () => new Entry(${JSON.stringify(probe)}, "p", { linux: { store: "keyutils" } });
       ${code}`,
    ]);
  await raw(`try { e().getPassword(); } catch {} try { e().setPassword("v1"); } catch {}`);
  const seen = await raw(
    `let v = null; try { v = e().getPassword(); } catch {} process.stdout.write(JSON.stringify(v));`,
  );
  await raw(`try { e().deleteCredential(); } catch {}`);
  const session = (await run(["keyctl", "rdescribe", "@s"])).output.trim();
  process.stderr.write(
    `keyutils here: session keyring ${session}; a second process ${seen.output === '"v1"' ? "reads" : "cannot read"} a key the first wrote\n`,
  );
  if (seen.output === '"v1"') {
    assert.deepEqual(await result(child), { ok: true, readBack: "value-1" });
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
