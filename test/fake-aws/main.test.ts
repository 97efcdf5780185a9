// The fake-aws command: prints its URL when ready, logs one JSON line per
// request (no secrets), exits 0 on SIGTERM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { spawnFakeAws } from "../../fake-aws/child.ts";
import { ALICE, EXAMPLE_WORLD } from "./helpers.ts";

test("fake-aws main: listening line, JSON-lines log, clean exit on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fake-aws-main-"));
  try {
    const logFile = join(dir, "calls.jsonl");
    const child = await spawnFakeAws({ worldFile: EXAMPLE_WORLD, logFile });
    assert.match(child.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const sts = new STSClient({
      region: "us-east-1",
      endpoint: child.url,
      credentials: ALICE,
      maxAttempts: 1,
    });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, "arn:aws:iam::111111111111:user/alice");
    sts.destroy();
    assert.equal(await child.stop(), 0);
    const lines = readFileSync(logFile, "utf8").trim().split("\n");
    assert.equal(lines.length, 1);
    const rec: unknown = JSON.parse(lines[0] ?? "");
    assert.ok(typeof rec === "object" && rec !== null);
    assert.equal(Reflect.get(rec, "action"), "GetCallerIdentity");
    assert.equal(Reflect.get(rec, "ok"), true);
    assert.equal(Reflect.get(rec, "callerArn"), "arn:aws:iam::111111111111:user/alice");
    assert.ok(!lines[0]?.includes(ALICE.secretAccessKey));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fake-aws main refuses a bad world file with a message naming it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fake-aws-main-"));
  try {
    const bad = join(dir, "bad.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(bad, JSON.stringify({ accounts: [{ id: "123" }] }));
    await assert.rejects(
      spawnFakeAws({ worldFile: bad }),
      /bad\.json: accounts\[0\]\.id: must be 12 digits/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
