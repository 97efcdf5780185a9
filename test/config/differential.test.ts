/**
 * Differential test: our reading of a file must equal the AWS SDK for
 * JavaScript v3's (`loadSharedConfigFiles` from @smithy/shared-ini-file-loader)
 * for every profile and key, for the fixture corpus and for generated files,
 * read both as a config file and as a credentials file.
 *
 * Files we refuse (syntax errors the SDK would skip silently) are not
 * compared; the fuzz test checks that refusal is always our diagnostic.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { parseIni } from "../../src/config/IniDocument.ts";
import { toSharedIniData } from "../../src/config/sharedIniView.ts";
import { isAwsmfaError } from "../../src/errors.ts";
import { iniFileArbitrary } from "./arbitraries.ts";

const CORPUS = join(import.meta.dirname, "../fixtures/config/corpus");

async function sdkRead(dir: string, text: string) {
  const file = join(dir, "f.ini");
  await writeFile(file, text);
  // The same file as both: the config view and the credentials view.
  return loadSharedConfigFiles({ filepath: file, configFilepath: file, ignoreCache: true });
}

function ours(text: string) {
  const doc = parseIni(text, "f.ini");
  return {
    configFile: toSharedIniData(doc, "config"),
    credentialsFile: toSharedIniData(doc, "credentials"),
  };
}

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "awsmfa-diff-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("every corpus file reads exactly as the AWS SDK reads it", async () => {
  const names = (await readdir(CORPUS)).filter((n) => n.endsWith(".ini")).sort();
  assert.ok(names.length >= 8, "corpus present");
  await withTmp(async (dir) => {
    for (const name of names) {
      const text = await readFile(join(CORPUS, name), "utf8");
      assert.deepEqual(ours(text), await sdkRead(dir, text), name);
    }
  });
});

test("the corpus exercises what it claims to (not vacuously equal)", () => {
  const read = (n: string) => ours(readFileSyncUtf8(join(CORPUS, n)));
  const crlf = read("crlf-subsections-nofinal.ini");
  assert.equal(crlf.configFile["a"]?.["s3.addressing_style"], "path");
  assert.equal(crlf.configFile["a"]["indented_after_reset"], "y");
  assert.equal(crlf.configFile["services.local"]?.["sts.endpoint_url"], "http://localhost:5000");
  const dup = read("bom-duplicates.ini");
  assert.deepEqual(dup.configFile["default"], { output: "text" });
  assert.deepEqual(dup.configFile["a"], { region: "a2", extra: "1", more: "2" });
  assert.deepEqual(dup.credentialsFile["default"], { region: "us-west-1" });
  const basic = read("basic.ini");
  assert.equal(basic.configFile["dev"]?.["region"], "eu-west-1");
  assert.equal(basic.configFile["quoted"]?.["region"], "ap-south-1");
  assert.equal(basic.credentialsFile["profile.dev"]?.["region"], "eu-west-1");
});

test("generated files read exactly as the AWS SDK reads them", async () => {
  await withTmp(async (dir) => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(iniFileArbitrary(), async (text) => {
        let mine;
        try {
          mine = ours(text);
        } catch (e) {
          if (isAwsmfaError(e) && e.code === "E_CONFIG_SYNTAX") return;
          throw e;
        }
        compared++;
        assert.deepEqual(mine, await sdkRead(dir, text));
      }),
      { numRuns: 400, seed: 20240503 },
    );
    // Most generated files must be accepted, or the comparison proves little.
    assert.ok(compared > 200, `only ${compared} of 400 generated files were compared`);
  });
});

function readFileSyncUtf8(p: string): string {
  return readFileSync(p, "utf8");
}
