/**
 * A credential_process answered from the cache must not load the AWS SDK:
 * nothing the engine imports statically may reach @aws-sdk or src/aws/sts.ts
 * (stsFactory.ts imports it with a dynamic import(), on the first STS call).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

function staticImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  // import ... from "x" / export ... from "x" / import "x" (not import("x"))
  for (const m of text.matchAll(
    /^\s*(?:import|export)\s+(?:[^"'();]*?\s+from\s+)?["']([^"']+)["']/gm,
  )) {
    const spec = m[1];
    if (spec !== undefined) out.push(spec);
  }
  return out;
}

function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
    if (seen.has(f)) continue;
    seen.add(f);
    if (!f.endsWith(".ts")) continue;
    for (const spec of staticImports(f)) {
      if (spec.startsWith(".")) todo.push(join(dirname(f), spec));
      else seen.add(spec);
    }
  }
  return seen;
}

test("the engine and the STS factory import neither the AWS SDK nor the SDK adapter statically", () => {
  for (const entry of ["src/credentials/getCredentials.ts", "src/aws/stsFactory.ts"]) {
    const all = [...reachable(join(root, entry))];
    assert.deepEqual(
      all.filter(
        (s) => s.startsWith("@aws-sdk/") || s.startsWith("@smithy/") || s.endsWith("/aws/sts.ts"),
      ),
      [],
      entry,
    );
  }
  // and the factory does load it lazily
  assert.match(
    readFileSync(join(root, "src/aws/stsFactory.ts"), "utf8"),
    /import\("\.\/sts\.ts"\)/,
  );
});
