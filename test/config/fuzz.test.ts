/**
 * Property tests for the INI document: any input either parses and
 * serialises back byte for byte, or is refused with our E_CONFIG_SYNTAX
 * diagnostic (never a crash); and every edit changes only the lines it must
 * and exactly the value it means to, as the SDK would read the result.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseIni, type IniDocument } from "../../src/config/IniDocument.ts";
import { toSharedIniData } from "../../src/config/sharedIniView.ts";
import { isAwsmfaError } from "../../src/errors.ts";
import { iniFileArbitrary } from "./arbitraries.ts";

function tryParse(text: string): IniDocument | undefined {
  try {
    return parseIni(text, "~/.aws/config");
  } catch (e) {
    if (isAwsmfaError(e) && e.code === "E_CONFIG_SYNTAX") {
      assert.match(e.message, /^~\/\.aws\/config:\d+: /);
      assert.ok(e.hint !== undefined && e.hint.length > 0);
      return undefined;
    }
    throw e;
  }
}

test("any input round-trips or is refused with our diagnostic", () => {
  const anyText = fc.oneof(
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.string({
      unit: fc.constantFrom(
        "[",
        "]",
        "=",
        " ",
        "\t",
        "\r",
        "\n",
        "#",
        ";",
        "a",
        "p",
        "\uFEFF",
        "\u00a0",
        "'",
        '"',
      ),
      maxLength: 80,
    }),
    iniFileArbitrary(true),
  );
  fc.assert(
    fc.property(anyText, (text) => {
      const doc = tryParse(text);
      if (doc !== undefined) assert.equal(doc.toString(), text);
    }),
    { numRuns: 5000, seed: 20240501 },
  );
});

/** The file's lines (BOM and the empty string after a final newline dropped). */
function lines(t: string): string[] {
  const out = t.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (out.at(-1) === "") out.pop();
  return out;
}

/** before[p..n-s) became after[p..m-s): the changed region. */
function changedRegion(a: string[], b: string[]) {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return { removed: a.slice(p, a.length - s), added: b.slice(p, b.length - s) };
}

function isSubsequence(small: string[], big: string[]): boolean {
  let i = 0;
  for (const x of big) if (i < small.length && small[i] === x) i++;
  return i === small.length;
}

type View = Record<string, Record<string, string>>;
const view = (d: IniDocument): View => toSharedIniData(d, "credentials");
const without = (v: View, id: string): View =>
  Object.fromEntries(Object.entries(v).filter(([k]) => k !== id));

const header = fc.constantFrom("a", "b", "default", "profile a", "profile dev.x", "new");
const key = fc.constantFrom("region", "mfa_serial", "s3", "k.dot", "fresh", "aws_access_key_id");
const value = fc.constantFrom("v", "us-east-1", "a=b", "x#y", "http://h/#f", "ünï");

const edit = fc.oneof(
  fc.tuple(fc.constant("set" as const), header, key, value),
  fc.tuple(fc.constant("removeKey" as const), header, key),
  fc.tuple(fc.constant("addSection" as const), header),
  fc.tuple(fc.constant("removeSection" as const), header),
);

test("edits change only the lines they must, and mean what they say", () => {
  let applied = 0;
  fc.assert(
    fc.property(iniFileArbitrary(), edit, (text, op) => {
      const doc = tryParse(text);
      if (doc === undefined) return;
      const before = view(doc);
      const id =
        doc.getSection(op[1])?.id ??
        (op[1].startsWith("profile ") ? `profile.${op[1].slice(8)}` : op[1]);
      let count = 0;
      try {
        switch (op[0]) {
          case "set": {
            const existed = doc
              .getSections(op[1])
              .some((s) => s.entries.some((e) => e.key === op[2]));
            const sectionExisted = doc.getSection(op[1]) !== undefined;
            doc.setKey(op[1], op[2], op[3]);
            const { removed, added } = changedRegion(lines(text), lines(doc.toString()));
            if (existed) {
              assert.ok(
                removed.length <= 1 && added.length === removed.length,
                "one line replaced",
              );
            } else {
              assert.ok(removed.length <= 1, "at most the old last line gains a line break");
              assert.ok(added.length <= removed.length + (sectionExisted ? 1 : 3));
            }
            break;
          }
          case "removeKey":
            count = doc.removeKey(op[1], op[2]);
            break;
          case "addSection":
            doc.addSection(op[1]);
            break;
          case "removeSection":
            count = doc.removeSection(op[1]);
            break;
        }
      } catch (e) {
        // Refusing a value that could not be written faithfully is fine.
        if (isAwsmfaError(e) && e.code === "E_CONFIG_VALUE") return;
        throw e;
      }
      applied++;
      const out = doc.toString();
      const reparsed = parseIni(out, "~/.aws/config");
      assert.equal(reparsed.toString(), out);
      const after = view(reparsed);
      const a = lines(text);
      const b = lines(out);
      switch (op[0]) {
        case "set":
          assert.equal(after[id]?.[op[2]], op[3]);
          assert.deepEqual(without(after, id), without(before, id), "other sections unchanged");
          for (const [k, v] of Object.entries(before[id] ?? {})) {
            if (k !== op[2]) assert.equal(after[id][k], v, `other key ${k} unchanged`);
          }
          break;
        case "removeKey": {
          assert.equal(after[id]?.[op[2]], undefined);
          assert.deepEqual(without(after, id), without(before, id));
          for (const [k, v] of Object.entries(before[id] ?? {})) {
            if (k !== op[2] && !k.startsWith(`${op[2]}.`))
              assert.equal(after[id]?.[k], v, `kept ${k}`);
          }
          // Only whole lines went (a line may lose indentation to keep its meaning).
          const trimmedA = a.map((l) => l.trimStart());
          const trimmedB = b.map((l) => l.trimStart());
          assert.ok(isSubsequence(trimmedB, trimmedA));
          assert.equal(a.length - b.length, count);
          break;
        }
        case "addSection":
          assert.ok(
            isSubsequence(
              a.filter((l) => l !== ""),
              b,
            ),
          );
          assert.ok(b.length - a.length <= 2);
          assert.deepEqual(after, before);
          break;
        case "removeSection":
          assert.ok(isSubsequence(b, a));
          assert.equal(after[id], undefined);
          assert.deepEqual(without(after, id), without(before, id));
          assert.equal(reparsed.getSections(op[1]).length, 0);
          assert.ok(count > 0 || out === text);
          break;
      }
    }),
    { numRuns: 3000, seed: 20240502 },
  );
  assert.ok(applied > 1500, `only ${applied} edits applied`);
});
