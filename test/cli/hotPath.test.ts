/**
 * What a cached credential_process loads, measured on the built bin: the
 * run is preloaded with a recorder (fixtures/recordLoads.mjs) that lists
 * every ES module resolved and every Node built-in loaded. The same recorder
 * on the first, uncached call must see the AWS SDK, or it proves nothing.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_ROLE, parseProcessCreds, startWorld, type World } from "./helpers.ts";

const recorder = fileURLToPath(new URL("fixtures/recordLoads.mjs", import.meta.url));

let w: World;
before(async () => {
  w = await startWorld();
  await w.addAlice("alice");
  await w.sb.writeConfig(
    `[profile alice]\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n\n` +
      `[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = alice\n`,
  );
});
after(() => w.stop());

let runs = 0;
async function recorded(args: string[]) {
  const out = join(w.sb.home, `loads-${String(runs++)}`);
  const r = await w.sb.run(args, {
    env: { NODE_OPTIONS: `--import=${recorder}`, RECORD_LOADS: out },
  });
  assert.equal(r.code, 0, r.stderr);
  const lines = async (suffix: string) =>
    (await readFile(`${out}.${suffix}`, "utf8")).split("\n").filter((l) => l !== "");
  const builtins = (await lines("builtins"))
    .filter((l) => l.startsWith("NativeModule "))
    .map((l) => l.slice("NativeModule ".length));
  return { stdout: r.stdout, urls: await lines("urls"), builtins };
}

const packagesIn = (urls: string[]) => [
  ...new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? [])),
];
// Built-ins that only a network call, a child process or the SDK would need
// (not net: stdout is a pipe to the calling tool, and Node writes a pipe
// through a net.Socket).
const HEAVY = ["child_process", "http", "https", "tls", "http2", "dgram", "zlib"];

test("the first call loads the SDK (the recorder sees it), a cached call loads none of it", async () => {
  const args = ["export", "--format", "credential-process", "admin"];
  const cold = await recorded([...args, "-t", w.code()]);
  assert.ok(packagesIn(cold.urls).includes("@aws-sdk/client-sts"), cold.urls.join("\n"));
  assert.ok(cold.builtins.includes("http"), "an STS call over http loads node's http");

  const hot = await recorded(args);
  assert.deepEqual(parseProcessCreds(hot.stdout), parseProcessCreds(cold.stdout));
  assert.deepEqual(packagesIn(hot.urls), [], "no package from node_modules");
  assert.deepEqual(
    HEAVY.filter((b) => hot.builtins.includes(b)),
    [],
    "no network, child-process or compression built-ins",
  );
  // Only the chunks for export and the file store, not every command's.
  const chunks = hot.urls.filter((u) => u.includes("/dist/chunks/"));
  for (const other of ["migrate", "import", "pickProfile", "add", "list", "secretService"]) {
    assert.ok(!chunks.some((u) => u.includes(`/${other}-`)), `${other} chunk loaded`);
  }
});
