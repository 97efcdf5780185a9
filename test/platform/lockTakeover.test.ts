/**
 * Breaking a stale lock must never remove or duplicate a live one. (The old
 * take-over moved the lock aside and put it back; when a third process took
 * the lock in between, two owners held it. That interleaving is too narrow
 * to hit on demand, so this test checks the property under contention:
 * many acquirers race over a stale lock, and at most one is ever inside.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withLock } from "../../src/platform/lock.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("racing acquirers over a stale lock: one owner at a time, every one gets in", async () => {
  const dir = await mkdtemp(join(tmpdir(), "awsmfa-takeover-"));
  try {
    const path = join(dir, "file");
    for (let round = 0; round < 6; round++) {
      // A lock from long ago (a dead owner on another host): stale by age.
      await writeFile(
        `${path}.lock`,
        JSON.stringify({
          pid: 1,
          host: "elsewhere",
          nonce: `stale-${String(round)}`,
          createdAt: 0,
        }),
      );
      let inside = 0;
      let most = 0;
      let done = 0;
      await Promise.all(
        Array.from({ length: 8 }, () =>
          withLock(
            path,
            async () => {
              inside++;
              most = Math.max(most, inside);
              await sleep(1);
              inside--;
              done++;
            },
            { timeoutMs: 20_000 },
          ),
        ),
      );
      assert.equal(most, 1, `round ${String(round)}: two owners at once`);
      assert.equal(done, 8);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
