/**
 * lazyAwsConfig (#10) must read every profile, services and sso-session
 * section exactly as buildAwsConfig does from the whole parse, for every
 * file it accepts; and it may accept a file only when the whole parse has no
 * error. Checked on the corpus and on generated files: the odd ones of
 * arbitraries.ts (which it mostly leaves to the whole parse) and plain ones
 * (which it must mostly take, or the test proves nothing).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { buildAwsConfig } from "../../src/config/buildAwsConfig.ts";
import { parseIni } from "../../src/config/IniDocument.ts";
import { lazyAwsConfig } from "../../src/config/lazyAwsConfig.ts";
import type { AwsConfig } from "../../src/config/types.ts";
import { iniFileArbitrary } from "./arbitraries.ts";

const CORPUS = join(import.meta.dirname, "../fixtures/config/corpus");
const NAMES = ["a", "b", "default", "dev.x", "a@b.com", "x-y_z", "p:q/r%s+t", "Ünï"];
const PROBES = [...NAMES, "nosuch", "services.a", "sso-session.a", "profile.a", "", "a b"];

function both(configText: string, credentialsText: string) {
  const input = {
    configFile: "/h/.aws/config",
    credentialsFile: "/h/.aws/credentials",
    configText,
    credentialsText,
    configLabel: "~/.aws/config",
    credentialsLabel: "~/.aws/credentials",
  };
  const lazy = lazyAwsConfig(input);
  let full: AwsConfig | Error;
  try {
    full = buildAwsConfig({
      configFile: input.configFile,
      credentialsFile: input.credentialsFile,
      configDoc: parseIni(configText, input.configLabel),
      credentialsDoc: parseIni(credentialsText, input.credentialsLabel),
    });
  } catch (e) {
    full = e instanceof Error ? e : new Error(String(e));
  }
  return { lazy, full };
}

/** Compares one name at a time (the lazy path), before anything iterates the lazy maps. */
function assertSame(lazy: AwsConfig, full: AwsConfig, what: string): void {
  const names = new Set([...PROBES, ...full.profiles.keys()]);
  for (const n of names) {
    assert.deepEqual(lazy.profiles.get(n), full.profiles.get(n), `${what}: profile '${n}'`);
    assert.equal(lazy.profiles.has(n), full.profiles.has(n), `${what}: has profile '${n}'`);
  }
  for (const n of new Set([...PROBES, ...full.services.keys()])) {
    assert.deepEqual(lazy.services.get(n), full.services.get(n), `${what}: services '${n}'`);
  }
  const sso: ReadonlyMap<string, Readonly<Record<string, string>>> = full.ssoSessions ??
  new Map<string, Readonly<Record<string, string>>>();
  for (const n of new Set([...PROBES, ...sso.keys()])) {
    assert.deepEqual(lazy.ssoSessions?.get(n), sso.get(n), `${what}: sso-session '${n}'`);
  }
  // Iterating takes the whole parse: the same names, in the same order.
  assert.deepEqual([...lazy.profiles.keys()], [...full.profiles.keys()], `${what}: names`);
  assert.deepEqual(lazy.diagnostics(), full.diagnostics(), `${what}: diagnostics`);
}

function check(configText: string, credentialsText: string, what: string): boolean {
  const { lazy, full } = both(configText, credentialsText);
  if (lazy === undefined) return false;
  if (full instanceof Error) {
    assert.fail(`${what}: accepted a file the whole parse refuses: ${full.message}`);
  }
  assertSame(lazy, full, what);
  return true;
}

test("the corpus: every file it takes reads the same as the whole parse", () => {
  let taken = 0;
  for (const f of readdirSync(CORPUS)) {
    const text = readFileSync(join(CORPUS, f), "utf8");
    if (check(text, "", `${f} as config`)) taken++;
    if (check("", text, `${f} as credentials`)) taken++;
  }
  assert.ok(taken >= 4, `only ${String(taken)} corpus readings took the lazy path`);
});

test("odd generated files: taken only when the whole parse has no error, and then read the same", () => {
  fc.assert(
    fc.property(iniFileArbitrary(true), iniFileArbitrary(false), (a, b) => {
      check(a, b, "generated");
      check(b, a, "generated, swapped");
    }),
    { numRuns: 400 },
  );
});

const ws = fc.constantFrom("", " ", "\t");
const plainName = fc.constantFrom(...NAMES.filter((n) => n !== "Ünï"), "Ünï");
const plainLine = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(ws, plainName).map(([w, n]) => `${w}[profile ${n}]`) },
  { weight: 1, arbitrary: plainName.map((n) => `[${n}] # comment`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom("profile", "sso-session", "services"),
        plainName,
        fc.constantFrom('"', "'", ""),
      )
      .map(([k, n, q]) => `[${k} ${q}${n}${q}]`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("[default]", "[profile default]", "[]", "[profile a b]"),
  },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        ws,
        fc.constantFrom("region", "mfa_serial", "source_profile", "s3", "max", "sts", "Region"),
        fc.constantFrom("=", " = ", "= "),
        fc.constantFrom("us-east-1", "a", "", "x # c", "v;w", "http://h#f", "dev.x"),
      )
      .map(([w, k, eq, v]) => `${w}${k}${eq}${v}`),
  },
  { weight: 2, arbitrary: fc.constantFrom("", "# c", "  ; c", "\t") },
);
const plainFile = fc
  .tuple(
    fc.tuple(ws, plainName).map(([w, n]) => `${w}[profile ${n}]`),
    fc.array(plainLine, { maxLength: 30 }),
    fc.constantFrom("\n", "\r\n"),
    fc.boolean(),
  )
  .map(([h, rest, eol, bom]) => `${bom ? "\uFEFF" : ""}${[h, ...rest].join(eol)}${eol}`);

test("plain generated files: taken (most of them) and read the same as the whole parse", () => {
  let runs = 0;
  let taken = 0;
  fc.assert(
    fc.property(plainFile, plainFile, (a, b) => {
      runs++;
      if (check(a, b, "plain")) taken++;
    }),
    { numRuns: 400 },
  );
  assert.ok(
    taken > runs / 2,
    `only ${String(taken)} of ${String(runs)} plain files took the lazy path`,
  );
});

test("a file the whole parse refuses is never taken (each kind of bad line)", () => {
  for (const bad of [
    "not a key",
    "= nokey",
    "[profile unclosed",
    "[profile a]#c",
    "[profile a] b",
    "  continuation",
    "[profile __proto__]",
    "a\u00a0= b\rc",
    "a ;x = b",
    "k #c = v",
  ]) {
    const text = `[profile a]\nregion = x\n${bad}\n`;
    assert.equal(both(text, "").lazy, undefined, JSON.stringify(bad));
    assert.equal(both("", text).lazy, undefined, JSON.stringify(bad));
  }
  assert.equal(both("region = x\n[profile a]\n", "").lazy, undefined, "a key before any section");
});

test("names that are also the ids of other sections read as the whole parse reads them", () => {
  const config =
    "[services a]\nsts =\n  endpoint_url = http://localhost:1\n\n[sso-session a]\nsso_region = eu-west-1\n\n[profile a]\nservices = a\n";
  const credentials =
    "[services.a]\naws_access_key_id = AKIA\n\n[sso-session.a]\nx = y\n\n[profile.a]\nregion = q\n\n[a]\nregion = r\n";
  assert.ok(check(config, credentials, "ids as names"));
  assert.ok(check(credentials, config, "ids as names, swapped"));
});
