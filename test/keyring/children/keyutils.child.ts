// Runs inside `keyctl session -` (a fresh session keyring; see
// ../keyutils.test.ts); never run directly by the main test runner.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { runStoreContract } from "../../helpers/storeContract.ts";
import { keyutilsStore } from "../../../src/store/keyring/keyringStore.ts";

const service = `awsmfa-test-${randomBytes(4).toString("hex")}`;
const lockDir = await mkdtemp(join(tmpdir(), "awsmfa-keyutils-lock-"));
after(() => rm(lockDir, { recursive: true, force: true }));
const make = () =>
  keyutilsStore({
    env: process.env,
    service,
    timeoutMs: 20_000,
    lockDir,
    nodePath: process.execPath,
  });

async function cleanup(): Promise<void> {
  const store = make();
  for (const ref of await store.list()) await store.remove(ref.kind, ref.name);
}

runStoreContract("keyutils (kernel keyring)", () => Promise.resolve(make()), cleanup);
