/**
 * The published shape: `npm pack` gives a tarball that ships the shrinkwrap,
 * and `npm install -g awsmfa` from a registry installs exactly the versions
 * it pins, whatever the registry's newest release is that day.
 *
 * What npm honours (npm 11, read in @npmcli/arborist and measured here): a
 * dependency's npm-shrinkwrap.json is used only when its manifest says
 * `_hasShrinkwrap: true`. The npm registry sets that field for a published
 * version whose tarball holds the file; a local tarball (`npm install -g
 * ./awsmfa-x.tgz`) has no such manifest, so npm resolves the ranges afresh
 * (npm/cli#5325, #5349). This test therefore installs by *name* from a
 * loopback registry that answers as registry.npmjs.org does: the package's
 * own metadata with `_hasShrinkwrap` computed from the tarball. The pinned
 * dependencies come by their exact `resolved` URL and integrity (from npm's
 * cache, which `npm ci` filled), so a new upstream release cannot change
 * the outcome.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "./helpers/sandbox.ts";

test("npm install -g awsmfa from a registry installs the shrinkwrap's versions, and the bin runs", async () => {
  const dir = await mkdtemp(join(tmpdir(), "awsmfa-pack-"));
  let registry: Server | undefined;
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
    const tarballName = (await readdir(dir)).find((f) => f.endsWith(".tgz"));
    assert.ok(tarballName !== undefined, "no tarball");
    const tarballPath = join(dir, tarballName);
    // npm leaves npm-shrinkwrap.json out unless `files` names it.
    const listing = await runProcess("tar", ["-tzf", tarballPath], env);
    assert.equal(listing.code, 0, listing.stderr);
    const hasShrinkwrap = listing.stdout.split("\n").includes("package/npm-shrinkwrap.json");
    assert.ok(hasShrinkwrap, listing.stdout);

    const tarball = await readFile(tarballPath);
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
      name: string;
      version: string;
    };
    registry = await serveRegistry(pkg, tarball, hasShrinkwrap);
    const registryUrl = `http://127.0.0.1:${String((registry.address() as AddressInfo).port)}/`;

    const prefix = join(dir, "prefix");
    const install = await runProcess(
      "npm",
      [
        "install",
        "-g",
        "--prefix",
        prefix,
        "--registry",
        registryUrl,
        // Keep the shrinkwrap's registry.npmjs.org URLs for the pinned
        // dependencies (npm would otherwise send them to our loopback one).
        "--replace-registry-host",
        "never",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        // Fails (EBADENGINE) if anything installed does not run on this Node.
        "--engine-strict",
        `${pkg.name}@${pkg.version}`,
      ],
      env,
      { timeoutMs: 180_000 },
    );
    assert.equal(install.code, 0, install.stderr);

    // Every runtime package the shrinkwrap pins is installed at that version.
    const installed = join(prefix, "lib", "node_modules", "awsmfa");
    const pinned = Object.entries(shrinkwrap.packages).filter(
      ([path, p]) => path !== "" && p.dev !== true,
    );
    assert.ok(pinned.length > 10, "the shrinkwrap pins the runtime tree");
    const wrong: string[] = [];
    for (const [path, p] of pinned) {
      const got = await readJson(join(installed, path, "package.json")).catch(() => undefined);
      if (got?.version !== p.version) {
        wrong.push(`${path}: ${got?.version ?? "missing"} (pinned ${p.version ?? "?"})`);
      }
    }
    assert.deepEqual(wrong, []);

    const help = await runProcess(join(prefix, "bin", "awsmfa"), ["--help"], env);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^awsmfa \d+\.\d+\.\d+: /);
    assert.match(help.stdout, /exec +Run a command with temporary credentials/);

    // Only what a user needs ships: the bundle, not sources or tests.
    const files = await readdir(installed);
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
    registry?.close();
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * A registry that knows one package: its metadata document (the shape
 * registry.npmjs.org serves, with the `_hasShrinkwrap` flag it derives from
 * the tarball) and the tarball. Other packages' metadata comes from
 * registry.npmjs.org (the shrinkwrap records no `resolved` URLs, so npm asks
 * the configured registry for them by name and checks the pinned integrity).
 */
async function proxyToNpm(
  path: string,
  accept: string | undefined,
  res: ServerResponse,
): Promise<void> {
  try {
    const upstream = await fetch(`https://registry.npmjs.org${path}`, {
      headers: accept === undefined ? {} : { accept },
      signal: AbortSignal.timeout(60_000),
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    res
      .writeHead(upstream.status, {
        "content-type": upstream.headers.get("content-type") ?? "application/json",
      })
      .end(body);
  } catch (e) {
    res.writeHead(502).end(String(e));
  }
}

async function serveRegistry(
  pkg: { name: string; version: string },
  tarball: Buffer,
  hasShrinkwrap: boolean,
): Promise<Server> {
  const manifest = JSON.parse(
    await readFile(new URL("../package.json", import.meta.url), "utf8"),
  ) as Record<string, unknown>;
  const tarballPath = `/${pkg.name}/-/${pkg.name}-${pkg.version}.tgz`;
  const server = createServer((req, res) => {
    const base = `http://${req.headers.host ?? "127.0.0.1"}`;
    if (req.url === `/${pkg.name}`) {
      const doc = {
        name: pkg.name,
        "dist-tags": { latest: pkg.version },
        versions: {
          [pkg.version]: {
            ...manifest,
            _hasShrinkwrap: hasShrinkwrap,
            dist: {
              tarball: base + tarballPath,
              shasum: createHash("sha1").update(tarball).digest("hex"),
              integrity: `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
            },
          },
        },
      };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(doc));
    } else if (req.url === tarballPath) {
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(tarball);
    } else {
      // Every other package as registry.npmjs.org has it: the shrinkwrap
      // pins name, version and integrity, so npm takes exactly that release.
      void proxyToNpm(req.url ?? "/", req.headers.accept, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

type Shrinkwrap = {
  packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } }>;
};
const readJson = async (path: string) =>
  JSON.parse(await readFile(path, "utf8")) as { version?: string };
const shrinkwrap = JSON.parse(
  await readFile(new URL("../npm-shrinkwrap.json", import.meta.url), "utf8"),
) as Shrinkwrap;

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
