/**
 * The bin's fast path (#10): a cached `export --format credential-process`
 * is answered by dist/awsmfa.cjs alone, byte for byte what the whole CLI
 * prints; everything else goes to the whole CLI (dist/cli.js). To see which
 * path ran, the bin is run from a copy of dist/ whose cli.js throws.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  chmod,
  cp,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runProcess } from "../helpers/sandbox.ts";
import { ALICE, ALICE_MFA, skipLoudly, startWorld, type World } from "./helpers.ts";

let w: World;
let stubRoot: string;
let stubDist: string;
const WHOLE_CLI_LOADED = "the whole CLI was loaded";

before(async () => {
  w = await startWorld();
  // dist/ beside the repo's node_modules, as in an installed package.
  stubRoot = await mkdtemp(join(tmpdir(), "awsmfa-fastpath-"));
  stubDist = join(stubRoot, "dist");
  await cp(resolve(import.meta.dirname, "../../dist"), stubDist, { recursive: true });
  await symlink(resolve(import.meta.dirname, "../../node_modules"), join(stubRoot, "node_modules"));
  await writeFile(
    join(stubDist, "cli.js"),
    `throw new Error(${JSON.stringify(WHOLE_CLI_LOADED)});\n`,
  );
  await w.sb.writeConfig(
    `[profile carol]\nmfa_serial = ${ALICE_MFA}\nregion = eu-west-1\n\n` +
      `[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = carol\n\n` +
      `[profile dave]\nmfa_serial = ${ALICE_MFA}\n`,
  );
  await w.addAlice("carol");
  await w.addAlice("dave");
  // Warm: carol's MFA session and the admin role in the cache (-t: the whole CLI).
  const warm = await w.sb.run(["export", "admin", "--format", "json", "-t", w.code()]);
  assert.equal(warm.code, 0, warm.stderr);
});
after(async () => {
  await rm(stubRoot, { recursive: true, force: true });
  await w.stop();
});

/** The bin from the copy of dist/ whose whole CLI throws. */
function fastOnly(args: readonly string[], env: Record<string, string | undefined> = {}) {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...w.sb.env, ...env })) if (v !== undefined) merged[k] = v;
  return runProcess(process.execPath, [join(stubDist, "awsmfa.cjs"), ...args], merged);
}

test("a cached credential_process is answered without the whole CLI, byte for byte what the whole CLI prints", async () => {
  w.aws.clearCalls();
  for (const profile of ["carol", "admin"]) {
    // --debug sends the same request through the whole CLI.
    const whole = await w.sb.run(["--debug", "export", "--format", "credential-process", profile]);
    assert.equal(whole.code, 0, whole.stderr);
    assert.match(whole.stdout, /^\{"Version":1,"AccessKeyId":"ASIA/);
    for (const [args, env] of [
      [["export", "--format", "credential-process", profile], {}],
      [["export", "--format=credential-process", profile], {}],
      [["export", "-f", "credential-process", profile], {}],
      [["export", profile, "--format", "credential-process"], {}],
      [["--backend", "file", "export", "--format", "credential-process", profile], {}],
      [["export", "--format", "credential-process"], { AWS_PROFILE: profile }],
    ] as const) {
      const r = await fastOnly(args, env);
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, whole.stdout, args.join(" "));
      assert.equal(r.stderr, "", args.join(" "));
    }
  }
  assert.equal(w.aws.calls().length, 0, "all from the cache");
});

test("everything but a cache hit goes to the whole CLI", async () => {
  const cases: [string[], Record<string, string>][] = [
    [["--version"], {}],
    [["list"], {}],
    [["export", "--format", "json", "carol"], {}],
    [["--debug", "export", "--format", "credential-process", "carol"], {}],
    [["export", "--format", "credential-process", "carol"], { AWSMFA_DEBUG: "1" }],
    [["export", "--format", "credential-process", "carol", "-t", "123456"], {}],
    [["export", "--format", "credential-process", "carol", "-d", "1h"], {}],
    [["export", "--format", "credential-process", "carol", "-n"], {}],
    [["export", "--format", "credential-process", "carol", "--region", "us-west-2"], {}],
    [["export", "--format", "credential-process", "carol", "extra"], {}],
    [["export", "--format", "credential-process"], {}],
    [["export", "--format", "credential-process", "nosuch"], {}],
    // A miss: dave's session was never fetched.
    [["export", "--format", "credential-process", "dave"], {}],
    // A backend the fast path does not hold.
    [["--backend", "pass", "export", "--format", "credential-process", "carol"], {}],
    // A cycle through carol: the whole CLI reports it.
    [
      ["export", "--format", "credential-process", "carol"],
      { AWSMFA_RESOLVING_PROFILES: '["carol"]' },
    ],
  ];
  for (const [args, env] of cases) {
    const r = await fastOnly(args, env);
    assert.notEqual(r.code, 0, `${args.join(" ")} ${JSON.stringify(env)}: ${r.stdout}`);
    assert.match(
      r.stderr,
      new RegExp(WHOLE_CLI_LOADED),
      `${args.join(" ")} ${JSON.stringify(env)}`,
    );
    assert.equal(r.stdout, "", "nothing printed before the whole CLI runs");
  }
});

test("a warning met on the fast path is printed once, with the credentials", async () => {
  const items = (await readdir(w.sb.fileDir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && !e.parentPath.endsWith("locks"))
    .map((e) => join(e.parentPath, e.name));
  for (const f of items) await chmod(f, 0o644);
  try {
    const r = await fastOnly(["export", "--format", "credential-process", "admin"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\{"Version":1/);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("awsmfa: warning:"));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0] ?? "", /readable by group and others/);
  } finally {
    for (const f of items) await chmod(f, 0o600);
  }
});

test("the fast path's code cache: written 0600 in a 0700 directory after a hit, then used as is; a bad or foreign one is never trusted", async () => {
  const cacheHome = join(w.sb.home, "xdg-cache");
  const env = { XDG_CACHE_HOME: cacheHome };
  const dir = join(cacheHome, "awsmfa");
  const args = ["export", "--format", "credential-process", "admin"];
  const expected = await fastOnly(args, { AWSMFA_CODE_CACHE: "off" });
  assert.equal(expected.code, 0, expected.stderr);
  await assert.rejects(stat(dir), "AWSMFA_CODE_CACHE=off writes nothing");

  const first = await fastOnly(args, env);
  assert.equal(first.stdout, expected.stdout);
  const [name, ...more] = await readdir(dir);
  assert.equal(more.length, 0);
  assert.match(
    name ?? "",
    new RegExp(`^fast-path-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8cache$`),
  );
  const file = join(dir, name ?? "");
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const written = await stat(file);

  const second = await fastOnly(args, env);
  assert.equal(second.stdout, expected.stdout);
  const after2 = await stat(file);
  assert.equal(after2.ino, written.ino, "a cache V8 accepted is not written again");
  assert.equal(after2.mtimeMs, written.mtimeMs);

  // Garbage (V8 refuses it): the call answers the same and the cache is replaced.
  await writeFile(file, "not a code cache", { mode: 0o600 });
  const garbage = await fastOnly(args, env);
  assert.equal(garbage.stdout, expected.stdout);
  assert.notEqual((await readFile(file, "utf8")).slice(0, 16), "not a code cache");

  // Readable by others: not used, replaced by a 0600 one.
  await chmod(file, 0o644);
  const before = (await stat(file)).ino;
  const open = await fastOnly(args, env);
  assert.equal(open.stdout, expected.stdout);
  assert.notEqual((await stat(file)).ino, before, "replaced");
  assert.equal((await stat(file)).mode & 0o777, 0o600);

  // A directory others can write to: neither read nor written.
  await writeFile(file, "left alone", { mode: 0o600 });
  await chmod(dir, 0o777);
  try {
    const shared = await fastOnly(args, env);
    assert.equal(shared.stdout, expected.stdout);
    assert.equal(await readFile(file, "utf8"), "left alone");
  } finally {
    await chmod(dir, 0o700);
  }
});

test("a cached credential_process from the kernel keyring (keyutils) is answered by the fast path", async (t) => {
  const probe = await runProcess("keyctl", ["show", "@s"], { PATH: w.sb.env.PATH ?? "" }).catch(
    () => undefined,
  );
  if (probe?.code !== 0) {
    skipLoudly(t, "keyctl (keyutils) is not installed: the keyutils fast path is not tested");
    return;
  }
  const realBin = resolve(import.meta.dirname, "../../dist/awsmfa.cjs");
  const stubBin = join(stubDist, "awsmfa.cjs");
  // One session keyring for the whole run: keys stored in it die with it.
  const script = [
    `"${process.execPath}" "${realBin}" add carol --env --force`,
    `"${process.execPath}" "${realBin}" export --format credential-process carol -t "$CODE" > whole.json`,
    `"${process.execPath}" "${stubBin}" export --format credential-process carol > fast.json`,
    `cmp whole.json fast.json`,
  ].join(" && ");
  const env: Record<string, string> = { ...w.sb.env };
  const r = await runProcess(
    "keyctl",
    ["session", "-", "sh", "-c", `cd "${w.sb.home}" && ${script}`],
    {
      ...env,
      AWSMFA_BACKEND: "keyutils",
      AWS_ACCESS_KEY_ID: ALICE.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey,
      CODE: w.code(),
    },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, new RegExp(WHOLE_CLI_LOADED));
  assert.match(
    await readFile(join(w.sb.home, "fast.json"), "utf8"),
    /^\{"Version":1,"AccessKeyId":"ASIA/,
  );
});

test("a fast-path bundle that cannot load (garbage, or gone) leaves the answer to the whole CLI", async () => {
  const args = ["export", "--format", "credential-process", "admin"];
  const expected = await w.sb.run(args);
  assert.equal(expected.code, 0, expected.stderr);
  const root = await mkdtemp(join(tmpdir(), "awsmfa-brokenfast-"));
  try {
    const dist = join(root, "dist");
    await cp(resolve(import.meta.dirname, "../../dist"), dist, { recursive: true });
    await symlink(resolve(import.meta.dirname, "../../node_modules"), join(root, "node_modules"));
    const bin = join(dist, "awsmfa.cjs");
    for (const broken of ["this is not JavaScript (", undefined]) {
      const bundle = join(dist, "chunks", "fast-path.cjs");
      if (broken === undefined) await rm(bundle);
      else await writeFile(bundle, broken);
      const env: Record<string, string> = { ...w.sb.env };
      const r = await runProcess(process.execPath, [bin, ...args], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, expected.stdout);
      assert.equal(r.stderr, "");
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
