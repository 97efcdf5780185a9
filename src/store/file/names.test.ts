import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { MAX_ENCODED_LENGTH, decodeName, encodeName, isHashedBase } from "./names.ts";

describe("encodeName / decodeName", () => {
  it("keeps plain names readable and spells case with ^", () => {
    assert.equal(encodeName("dev-01_x").base, "dev-01_x");
    assert.equal(encodeName("Prod Admin").base, "^prod%20^admin");
    assert.equal(encodeName("a/b:c").base, "a%2fb%3ac");
    assert.equal(encodeName("é").base, "%c3%a9");
  });

  it("never emits '.', so '.', '..' and dot files cannot be item names on disk", () => {
    assert.equal(encodeName(".").base, "%2e");
    assert.equal(encodeName("..").base, "%2e%2e");
  });

  it("avoids the base names Windows reserves", () => {
    assert.equal(encodeName("con").base, "%63on");
    assert.equal(decodeName("%63on"), "con");
    assert.equal(encodeName("CON").base, "^c^o^n");
  });

  it("hashes empty and over-long names, and says so", () => {
    for (const name of ["", "x".repeat(MAX_ENCODED_LENGTH + 1), "/".repeat(70)]) {
      const e = encodeName(name);
      assert.equal(e.hashed, true);
      assert.ok(isHashedBase(e.base));
      assert.equal(decodeName(e.base), undefined);
    }
    assert.equal(encodeName("x".repeat(MAX_ENCODED_LENGTH)).hashed, false);
  });

  it("rejects spellings encodeName would not produce", () => {
    for (const base of ["A", "%41", "%2", "^A", "^", "a.b", "%C3%A9", "~abc"]) {
      assert.equal(decodeName(base), undefined, base);
    }
  });

  it("round-trips every name, with only case-free characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (name) => {
        const e = encodeName(name);
        assert.match(e.base, /^[a-z0-9_%^~-]+$/);
        const wellFormed = Buffer.from(name, "utf8").toString("utf8") === name;
        if (!e.hashed && wellFormed) assert.equal(decodeName(e.base), name);
      }),
      { numRuns: 500 },
    );
  });

  it("gives names that differ only in case different files", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (name) => {
        const other = name.toUpperCase() === name ? name.toLowerCase() : name.toUpperCase();
        fc.pre(other !== name);
        assert.notEqual(encodeName(name).base, encodeName(other).base);
      }),
    );
  });
});
