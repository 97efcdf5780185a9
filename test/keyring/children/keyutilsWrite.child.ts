// Writes one item with the keyutils store and prints, as one JSON line, what
// happened: {"ok":true,"readBack":...} or {"code":...,"message":...,"hint":...}.
// Run by ../keyutils.test.ts with and without a session keyring of its own;
// never run directly by the main test runner.
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAwsmfaError } from "../../../src/errors.ts";
import { keyutilsStore } from "../../../src/store/keyring/keyringStore.ts";

const service = `awsmfa-test-${randomBytes(4).toString("hex")}`;
const lockDir = await mkdtemp(join(tmpdir(), "awsmfa-keyutils-lock-"));
const store = keyutilsStore({
  env: process.env,
  service,
  timeoutMs: 20_000,
  lockDir,
  nodePath: process.execPath,
});
try {
  // As `awsmfa add` does: look for keys already there, then write.
  if ((await store.get("keys", "dev")) !== undefined) throw new Error("fresh service not empty");
  await store.set("keys", "dev", "value-1");
  const readBack = await store.get("keys", "dev");
  await store.remove("keys", "dev");
  process.stdout.write(`${JSON.stringify({ ok: true, readBack })}\n`);
} catch (e) {
  if (!isAwsmfaError(e)) throw e;
  // What the kernel still holds for this service, read from /proc/keys (the
  // index cannot tell: it is written only after a good read-back). A deleted
  // key may linger a moment marked invalidated ("i" in the flags column).
  const left = (await readFile("/proc/keys", "utf8"))
    .split("\n")
    .filter((l) => l.includes(`@${service}:`) && !(l.split(/\s+/)[1] ?? "").includes("i"));
  process.stdout.write(
    `${JSON.stringify({ code: e.code, message: e.message, hint: e.hint, left })}\n`,
  );
} finally {
  await rm(lockDir, { recursive: true, force: true });
}
