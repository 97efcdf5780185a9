/**
 * scripts/check-cycles.mjs, the import-cycle check CI runs (issue #11): on
 * small trees written to a temp dir, and on src/ itself.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const script = join(repo, "scripts", "check-cycles.mjs");

function check(dirs: string[], cwd = repo) {
  const r = spawnSync(process.execPath, [script, ...dirs], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes files (path -> text) under a fresh temp dir and checks it. */
function checkTree(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "awsmfa-cycles-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, "src", path)), { recursive: true });
      writeFileSync(join(dir, "src", path), text);
    }
    return check(["src"], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("regression (#11): src/ has no import cycle between files or folders", () => {
  const r = check(["src"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /no import cycle/);
});

test("a tree without cycles passes", () => {
  const r = checkTree({
    "a/one.ts": `import { two } from "../b/two.ts";\nexport const one = two;\n`,
    "b/two.ts": `import { readFileSync } from "node:fs";\nexport const two = readFileSync;\n`,
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test("a cycle through `import type` counts, and names both files with the line", () => {
  const r = checkTree({
    "a/one.ts": `export type One = 1;\nimport type { Two } from "./two.ts";\nexport type X = Two;\n`,
    "a/two.ts": `import type { One } from "./one.ts";\nexport type Two = One;\n`,
  });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /cycle 1 \(2 files\)/);
  assert.match(r.stdout, /src\/a\/one\.ts\n {4}line 2 imports src\/a\/two\.ts/);
  assert.match(r.stdout, /src\/a\/two\.ts\n {4}line 1 imports src\/a\/one\.ts/);
  assert.match(r.stderr, /1 import cycle/);
});

test("a lazy import() back to the dispatcher counts (the openStore <-> backend shape)", () => {
  const r = checkTree({
    "store/open.ts": `export type Ctx = { a: 1 };\nexport const load = () => import("./file/backend.ts");\n`,
    "store/file/backend.ts": `import type { Ctx } from "../open.ts";\nexport const f = (c: Ctx) => c;\n`,
  });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /src\/store\/open\.ts\n {4}line 2 imports src\/store\/file\/backend\.ts/);
});

test("re-exports, side-effect imports, `typeof import()` and .js specifiers count", () => {
  for (const [name, text] of [
    ["export from", `export { b } from "./b.ts";\n`],
    ["side effect", `import "./b.ts";\n`],
    ["typeof import", `export type B = typeof import("./b.ts");\n`],
    [".js extension", `export * from "./b.js";\n`],
  ] as const) {
    const r = checkTree({ "a.ts": text, "b.ts": `import "./a.ts";\nexport const b = 1;\n` });
    assert.equal(r.code, 1, `${name}: ${r.stdout}${r.stderr}`);
  }
});

test("import-like text in comments, strings and template literals is not an import", () => {
  const r = checkTree({
    "a.ts":
      `// import { b } from "./b.ts";\n/* import "./b.ts" */\n` +
      "export const s = 'import \"./b.ts\"';\n" +
      'export const t = `import("./b.ts") ${String(1)} export * from "./b.ts"`;\n',
    "b.ts": `import "./a.ts";\n`,
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test("folders that import each other are a cycle even when no two files do (mfa <-> credentials)", () => {
  const r = checkTree({
    "credentials/get.ts": `import { source } from "../mfa/source.ts";\nexport const get = source;\n`,
    "credentials/run.ts": `export type Run = () => void;\n`,
    "mfa/source.ts": `import type { Run } from "../credentials/run.ts";\nexport const source = (r: Run) => r;\n`,
  });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /2 folders: src\/credentials, src\/mfa/);
  assert.match(r.stdout, /src\/mfa\/source\.ts:1 imports src\/credentials\/run\.ts/);
});

test("a directory that does not exist is a usage error, not a pass", () => {
  const r = check(["no-such-dir"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no-such-dir is not a directory/);
});
