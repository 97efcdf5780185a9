/**
 * The published shape: `npm pack` gives a tarball that installs globally
 * with npm alone and whose `awsmfa` bin runs. Installs into a temp prefix
 * (dependencies come from the npm registry or npm's cache).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
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
    // npm leaves npm-shrinkwrap.json out unless `files` names it.
    const listing = await runProcess("tar", ["-tzf", join(dir, tarball)], env);
    assert.equal(listing.code, 0, listing.stderr);
    assert.ok(listing.stdout.split("\n").includes("package/npm-shrinkwrap.json"), listing.stdout);

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
        // Fails (EBADENGINE) if anything installed does not run on this Node.
        "--engine-strict",
        join(dir, tarball),
      ],
      env,
      { timeoutMs: 180_000 },
    );
    assert.equal(install.code, 0, install.stderr);

    // The shrinkwrap shipped in the tarball decides the versions, not the
    // registry's newest: the installed SDK is the one we tested.
    const installed = join(prefix, "lib", "node_modules", "awsmfa");
    for (const dep of ["@aws-sdk/client-sts", "@aws-sdk/core", "@smithy/core"]) {
      const version = (await readJson(join(installed, "node_modules", dep, "package.json")))
        .version;
      assert.equal(version, lockedVersion(dep), dep);
    }

    const help = await runProcess(join(prefix, "bin", "awsmfa"), ["--help"], env);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^awsmfa \d+\.\d+\.\d+: /);
    assert.match(help.stdout, /exec +Run a command with temporary credentials/);

    // Only what a user needs ships: the bundle, not sources or tests.
    const files = await readdir(join(prefix, "lib", "node_modules", "awsmfa"));
    assert.deepEqual(
      files.filter(
        (f) =>
          ![
            "dist",
            "node_modules",
            "package.json",
            "README.md",
            "LICENSE",
            "npm-shrinkwrap.json",
          ].includes(f),
      ),
      [],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

type Shrinkwrap = {
  packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } }>;
};
const readJson = async (path: string) =>
  JSON.parse(await readFile(path, "utf8")) as { version?: string };
const shrinkwrap = JSON.parse(
  await readFile(new URL("../npm-shrinkwrap.json", import.meta.url), "utf8"),
) as Shrinkwrap;
const lockedVersion = (name: string) => shrinkwrap.packages[`node_modules/${name}`]?.version;

test("every runtime dependency the shrinkwrap pins allows Node 20 (our engines floor)", () => {
  // The AWS SDK moves to Node >= 22 in 2027; a caret range alone would let a
  // fresh install pull such a release onto Node 20. The shrinkwrap pins the
  // whole runtime tree, and this keeps an update from pinning one that drops 20.
  const runtime = Object.entries(shrinkwrap.packages).filter(
    ([path, p]) => path !== "" && p.dev !== true,
  );
  assert.ok(runtime.some(([path]) => path === "node_modules/@aws-sdk/client-sts"));
  const refused: string[] = [];
  for (const [path, p] of runtime) {
    const range = p.engines?.node;
    if (range === undefined) continue;
    // Every range in the tree today is a plain lower bound; anything else
    // is reported rather than guessed at.
    const floor = /^>= ?(\d+)(\.\d+){0,2}$/.exec(range.trim());
    if (floor === null || Number(floor[1]) > 20) refused.push(`${path}: engines.node "${range}"`);
  }
  assert.deepEqual(refused, []);
});
