/**
 * Review (#10) of the bin's fast path: for an argv/env/store state, the bin
 * (which may answer from the fast path) must print exactly what the whole
 * CLI prints (stdout, stderr, exit code), or fall back. The whole CLI alone
 * is the bin from a copy of dist/ whose fast-path bundle always falls back;
 * the fast path alone is the bin from a copy whose cli.js throws.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chown, cp, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runProcess } from "../helpers/sandbox.ts";
import { ALICE_MFA, startWorld, type World } from "./helpers.ts";

let w: World;
let root: string;
const WHOLE_CLI_LOADED = "the whole CLI was loaded";

async function distCopy(name: string): Promise<string> {
  const dir = join(root, name);
  await cp(resolve(import.meta.dirname, "../../dist"), join(dir, "dist"), { recursive: true });
  await symlink(resolve(import.meta.dirname, "../../node_modules"), join(dir, "node_modules"));
  return join(dir, "dist");
}

let fastDist: string;
let wholeDist: string;

before(async () => {
  w = await startWorld();
  root = await mkdtemp(join(tmpdir(), "awsmfa-review-"));
  fastDist = await distCopy("fast");
  await writeFile(
    join(fastDist, "cli.js"),
    `throw new Error(${JSON.stringify(WHOLE_CLI_LOADED)});\n`,
  );
  wholeDist = await distCopy("whole");
  await writeFile(
    join(wholeDist, "chunks", "fast-path.cjs"),
    `exports.cachedFastPath = async () => undefined;\nexports.writeFileAtomic = async () => undefined;\n`,
  );
  await w.sb.writeConfig(
    `[profile carol]\nmfa_serial = ${ALICE_MFA}\nregion = eu-west-1\n\n` +
      `[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = carol\n\n` +
      `[profile export]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = carol\n\n` +
      `[default]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = carol\n`,
  );
  await w.addAlice("carol");
  for (const p of ["admin", "export", "default"]) {
    const warm = await w.sb.run(["export", p, "--format", "json", "-t", w.code()]);
    assert.equal(warm.code, 0, warm.stderr);
  }
});
after(async () => {
  await rm(root, { recursive: true, force: true });
  await w.stop();
});

type Env = Record<string, string | undefined>;

function run(dist: string, args: readonly string[], env: Env = {}) {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...w.sb.env, ...env })) if (v !== undefined) merged[k] = v;
  return runProcess(process.execPath, [join(dist, "awsmfa.cjs"), ...args], merged);
}

const bin = resolve(import.meta.dirname, "../../dist");

/** The bin and the whole CLI alone agree; returns whether the fast path alone answered. */
async function same(args: readonly string[], env: Env = {}): Promise<boolean> {
  const what = `${args.join(" ")} ${JSON.stringify(env)}`;
  const real = await run(bin, args, env);
  const whole = await run(wholeDist, args, env);
  assert.deepEqual(
    { code: real.code, stdout: real.stdout, stderr: real.stderr },
    { code: whole.code, stdout: whole.stdout, stderr: whole.stderr },
    what,
  );
  const fast = await run(fastDist, args, env);
  return !fast.stderr.includes(WHOLE_CLI_LOADED);
}

const CP = ["--format", "credential-process"];

test("review (#10): argv shapes answer as the whole CLI does", async () => {
  const hits: string[] = [];
  for (const args of [
    ["export", ...CP, "admin"],
    ["export", "--format=credential-process", "admin"],
    ["export", "-fcredential-process", "admin"],
    ["export", "-f", "json", "-f", "credential-process", "admin"],
    ["export", "-f", "credential-process", "-f", "json", "admin"],
    ["export", ...CP, "admin", "--backend", "file"],
    ["export", ...CP, "--", "admin"],
    ["export", ...CP, "admin", "--"],
    ["export", "export", ...CP],
    ["export", ...CP, "export"],
    ["--backend=file", "export", ...CP, "export"],
    ["export", ...CP, "admin", "admin"],
    ["export", ...CP, ""],
    ["export", ...CP, " admin"],
  ]) {
    if (await same(args)) hits.push(args.join(" "));
  }
  assert.ok(hits.length >= 6, hits.join("\n"));
});

test("review (#10): the environment is read as the whole CLI reads it", async () => {
  for (const env of [
    { AWS_PROFILE: "admin" },
    { AWS_DEFAULT_PROFILE: "admin" },
    { AWS_PROFILE: "", AWS_DEFAULT_PROFILE: "admin" },
    { AWS_PROFILE: "default" },
    { AWS_PROFILE: "export" },
    { AWS_PROFILE: "admin", AWSMFA_RESOLVING_PROFILES: '["carol"]' },
    { AWS_PROFILE: "admin", AWSMFA_RESOLVING_PROFILES: '["other"]' },
    { AWS_PROFILE: "admin", AWSMFA_RESOLVING_PROFILES: "nope" },
    { AWS_PROFILE: "admin", AWSMFA_RESOLVING_PROFILES: "" },
    { AWS_PROFILE: "admin", AWSMFA_DEBUG: "0" },
    { AWS_PROFILE: "admin", AWSMFA_DEBUG: "true" },
    { AWS_PROFILE: "admin", AWSMFA_PROMPT: "bogus" },
    { AWS_PROFILE: "admin", AWSMFA_PROMPT: "ykman" },
    { AWS_PROFILE: "admin", AWS_VAULT_PROMPT: "wincredui" },
    { AWS_PROFILE: "admin", AWSMFA_BACKEND: undefined, AWS_VAULT_BACKEND: "file" },
    { AWS_PROFILE: "admin", AWSMFA_BACKEND: undefined, AWS_VAULT_BACKEND: "bogus" },
    { AWS_PROFILE: "admin", AWSMFA_BACKEND: "" },
    { AWS_PROFILE: "admin", AWSMFA_FILE_PASSPHRASE: "wrong" },
    { AWS_PROFILE: "admin", AWSMFA_FILE_PASSPHRASE: undefined },
    { AWS_PROFILE: "admin", AWSMFA_AGENT: "off" },
  ] as Env[]) {
    await same(["export", ...CP], env);
  }
});

test("review (#10): an entry with 5 minutes or less left is not answered by the fast path", async () => {
  await writeFile(
    w.sb.configFile,
    `[profile carol]\nmfa_serial = ${ALICE_MFA}\n\n` +
      `[profile short]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = carol\n`,
    { mode: 0o600 },
  );
  // The fake's clock 11 minutes behind: a 15-minute role has 4 minutes left here.
  w.clock.advance(-11 * 60_000);
  const r = await w.sb.run(["export", "short", "--format", "json", "-d", "15m"]);
  w.clock.advance(11 * 60_000);
  assert.equal(r.code, 0, r.stderr);
  const left = Date.parse((JSON.parse(r.stdout) as { Expiration: string }).Expiration) - Date.now();
  assert.ok(left > 0 && left < 5 * 60_000, `cached with ${String(left)} ms left`);
  const fast = await run(fastDist, ["export", ...CP, "short"]);
  assert.match(fast.stderr, new RegExp(WHOLE_CLI_LOADED), "fell back");
  assert.equal(fast.stdout, "");
});

test("review (#10): a code cache owned by another user is neither used nor kept; a directory of another user is neither read nor written", async () => {
  const cacheHome = join(w.sb.home, "xdg-review");
  const dir = join(cacheHome, "awsmfa");
  const env = { XDG_CACHE_HOME: cacheHome, AWS_PROFILE: "carol" };
  const args = ["export", ...CP];
  const first = await run(bin, args, env);
  assert.equal(first.code, 0, first.stderr);
  const [name] = await readdir(dir);
  const file = join(dir, name ?? "");
  await chown(file, 4242, 4242);
  const again = await run(bin, args, env);
  assert.equal(again.stdout, first.stdout);
  assert.equal((await stat(file)).uid, process.getuid?.(), "replaced by one of ours");

  await rm(dir, { recursive: true });
  await mkdir(dir, { mode: 0o700 });
  await writeFile(join(dir, name ?? ""), "foreign", { mode: 0o600 });
  await chown(join(dir, name ?? ""), 4242, 4242);
  await chown(dir, 4242, 4242);
  const foreign = await run(bin, args, env);
  assert.equal(foreign.code, 0, foreign.stderr);
  assert.equal(foreign.stdout, first.stdout);
  assert.deepEqual(await readdir(dir), [name], "nothing written there");
  assert.equal((await stat(join(dir, name ?? ""))).uid, 4242);
});
