// Runs inside `keyctl session -` (a fresh session keyring; see
// ../keyutils.test.ts); never run directly by the main test runner.
import { randomBytes } from "node:crypto";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { CliContext } from "../../../src/cli/context.ts";
import { runCli } from "../../../src/cli/run.ts";
import { systemClock } from "../../../src/platform/clock.ts";
import { runStoreContract } from "../../helpers/storeContract.ts";
import { keyutilsStore } from "../../../src/store/keyring/keyringStore.ts";
import { runKeyringOps } from "../../../src/store/keyring/keyringProcess.ts";

const service = `awsmfa-test-${randomBytes(4).toString("hex")}`;
const lockDir = await mkdtemp(join(tmpdir(), "awsmfa-keyutils-lock-"));
after(() => rm(lockDir, { recursive: true, force: true }));
const make = () =>
  keyutilsStore({
    env: process.env,
    service,
    timeoutMs: 20_000,
    lockDir,
    // No helper may run (#10): one would fail to start with this node.
    nodePath: "/nonexistent/awsmfa-node",
  });

async function cleanup(): Promise<void> {
  const store = make();
  for (const ref of await store.list()) await store.remove(ref.kind, ref.name);
}

runStoreContract("keyutils (kernel keyring)", () => Promise.resolve(make()), cleanup);

/**
 * Issue #10: keyutils runs in this process; no keyring helper is started.
 * The commands get a node binary that does not exist: any helper process
 * would fail to start ("could not start /nonexistent/awsmfa-node").
 */
void describe("keyutils commands start no helper process (#10)", () => {
  void it("add, list and remove with --backend keyutils, with no node to run a helper", async () => {
    const home = await mkdtemp(join(tmpdir(), "awsmfa-keyutils-cli-"));
    after(() => rm(home, { recursive: true, force: true }));
    await writeFile(join(home, "config"), "[profile dev]\nregion = eu-west-1\n");
    const cli = async (argv: string[]) => {
      let stdout = "";
      let stderr = "";
      const ctx: CliContext = {
        env: {
          PATH: process.env.PATH,
          AWS_CONFIG_FILE: join(home, "config"),
          AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
          AWSMFA_FILE_DIR: join(home, "store"),
          AWS_ACCESS_KEY_ID: "AKIAEXAMPLE00000KUTL",
          AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        },
        homedir: home,
        clock: systemClock,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        interactive: false,
        stderrIsTty: false,
        platform: "linux",
        nodePath: "/nonexistent/awsmfa-node",
        uid: process.getuid?.(),
        spawnInherit: () => Promise.reject(new Error("no child in this test")),
      };
      const code = await runCli([...argv, "--backend", "keyutils"], ctx);
      return { code, stdout, stderr };
    };
    const add = await cli(["add", "dev", "--env"]);
    assert.equal(add.code, 0, add.stderr);
    const list = await cli(["list", "--json"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /"dev"/);
    const removed = await cli(["remove", "dev", "--force"]);
    assert.equal(removed.code, 0, removed.stderr);
    for (const r of [add, list, removed]) assert.doesNotMatch(r.stderr, /could not start/);
  });
});

void describe("keyutils items move between the helper and this process (#10)", () => {
  void it("reads what the keyring helper wrote, and the helper reads what this process wrote", async () => {
    const helper = { env: process.env, timeoutMs: 20_000, nodePath: process.execPath };
    const store = make();
    await runKeyringOps(
      {
        store: "keyutils",
        service,
        ops: [{ op: "set", account: "keys:old", value: "from helper" }],
      },
      helper,
    );
    assert.equal(await store.get("keys", "old"), "from helper");
    await store.set("session", "new", "from here");
    const read = await runKeyringOps(
      { store: "keyutils", service, ops: [{ op: "get", account: "session:new" }] },
      helper,
    );
    assert.deepEqual(read, ["from here"]);
    await store.remove("keys", "old");
    await store.remove("session", "new");
  });
});
