import { test } from "node:test";
import assert from "node:assert/strict";
import { nonBlank, nonEmpty } from "../../src/platform/env.ts";

test("nonEmpty: an empty setting is unset; anything else is kept as given", () => {
  assert.equal(nonEmpty(undefined), undefined);
  assert.equal(nonEmpty(""), undefined);
  assert.equal(nonEmpty(" "), " ");
  assert.equal(nonEmpty(" ~/x "), " ~/x ");
});

test("nonBlank: trimmed, and a blank value is unset", () => {
  assert.equal(nonBlank(undefined), undefined);
  assert.equal(nonBlank(""), undefined);
  assert.equal(nonBlank(" \t"), undefined);
  assert.equal(nonBlank(" http://127.0.0.1:1 "), "http://127.0.0.1:1");
});
