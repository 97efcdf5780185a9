/**
 * Which folder of src/ may import which (DESIGN.md): config/ is below the
 * output formatters and mfa/ below the engine. No cycle appears when these
 * are crossed (check:cycles would say so), so they are pinned here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const src = fileURLToPath(new URL("../../src", import.meta.url));

/** `folder/file.ts:line` for each import of `../<other>/` in the files of src/<folder>. */
function importsOf(folder: string, other: string): string[] {
  const found: string[] = [];
  const dir = join(src, folder);
  for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!name.endsWith(".ts")) continue;
    const lines = readFileSync(join(dir, name), "utf8").split("\n");
    for (const [i, line] of lines.entries()) {
      if (new RegExp(`(from |import\\()"(\\.\\./)+${other}/`).test(line)) {
        found.push(`${folder}/${name}:${String(i + 1)}`);
      }
    }
  }
  return found;
}

test("regression (#11): config/ does not import output/ (isoSeconds lives in platform/)", () => {
  assert.deepEqual(importsOf("config", "output"), []);
});

test("regression (#11): mfa/ does not import credentials/ (RunProcess lives in platform/)", () => {
  assert.deepEqual(importsOf("mfa", "credentials"), []);
});

test("store backends do not import the dispatcher that loads them", () => {
  const found: string[] = [];
  for (const name of readdirSync(join(src, "store"), { recursive: true, encoding: "utf8" })) {
    if (!name.endsWith(".ts") || name === "openStore.ts") continue;
    const text = readFileSync(join(src, "store", name), "utf8");
    if (/from "(\.\.?\/)+openStore\.ts"/.test(text)) found.push(name);
  }
  assert.deepEqual(found, []);
});

/** `file:line` of each line in src/ that matches, outside the files listed. */
function linesMatching(pattern: RegExp, except: readonly string[]): string[] {
  const found: string[] = [];
  for (const name of readdirSync(src, { recursive: true, encoding: "utf8" })) {
    if (!name.endsWith(".ts") || except.includes(name)) continue;
    const lines = readFileSync(join(src, name), "utf8").split("\n");
    for (const [i, line] of lines.entries()) {
      if (pattern.test(line)) found.push(`${name}:${String(i + 1)}`);
    }
  }
  return found;
}

test("regression (#11): one Env type (platform/env.ts), not one per module", () => {
  assert.deepEqual(
    linesMatching(/type Env =|Readonly<Record<string, string \| undefined>>/, ["platform/env.ts"]),
    [],
  );
});

test("regression (#11): one nonEmpty (platform/env.ts), not a copy per module", () => {
  assert.deepEqual(
    linesMatching(/function nonEmpty\b|function nonBlank\b/, ["platform/env.ts"]),
    [],
  );
});
