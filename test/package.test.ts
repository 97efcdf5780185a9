/**
 * The published shape: `npm pack` gives a tarball that installs globally
 * with npm alone and whose `awsmfa` bin runs. Installs into a temp prefix
 * (dependencies come from the npm registry or npm's cache).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "./helpers/sandbox.ts";

test("npm pack, npm install -g the tarball, awsmfa --help", async () => {
  const dir = await mkdtemp(join(tmpdir(), "awsmfa-pack-"));
  try {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    // --ignore-scripts: dist/ is already built by `npm test`; prepack would rebuild it.
    const pack = await runProcess(
      "npm",
      ["pack", "--ignore-scripts", "--pack-destination", dir],
      { ...env },
      { timeoutMs: 120_000 },
    );
    assert.equal(pack.code, 0, pack.stderr);
    const tarball = (await readdir(dir)).find((f) => f.endsWith(".tgz"));
    assert.ok(tarball !== undefined, "no tarball");

    const prefix = join(dir, "prefix");
    const install = await runProcess(
      "npm",
      [
        "install",
        "-g",
        "--prefix",
        prefix,
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        join(dir, tarball),
      ],
      env,
      { timeoutMs: 180_000 },
    );
    assert.equal(install.code, 0, install.stderr);

    const help = await runProcess(join(prefix, "bin", "awsmfa"), ["--help"], env);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^awsmfa \d+\.\d+\.\d+: /);
    assert.match(help.stdout, /exec +Run a command with temporary credentials/);

    // Only what a user needs ships: the bundle, not sources or tests.
    const files = await readdir(join(prefix, "lib", "node_modules", "awsmfa"));
    assert.deepEqual(
      files.filter(
        (f) => !["dist", "node_modules", "package.json", "README.md", "LICENSE"].includes(f),
      ),
      [],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
