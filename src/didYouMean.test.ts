import { test } from "node:test";
import assert from "node:assert/strict";
import { didYouMean, editDistance, nearest } from "./didYouMean.ts";

test("edit distance counts a swap of neighbours as one", () => {
  assert.equal(editDistance("alice", "alice"), 0);
  assert.equal(editDistance("alcie", "alice"), 1);
  assert.equal(editDistance("exe", "exec"), 1);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("kitten", "sitting"), 3);
});

test("nearest: only names close enough to be a typo, best first", () => {
  assert.deepEqual(nearest("alcie", ["alice", "admin", "bob"]), ["alice"]);
  assert.deepEqual(nearest("dev", ["dev1", "dev2", "prod"]), ["dev1", "dev2"]);
  assert.deepEqual(nearest("zzzzzz", ["alice", "admin"]), []);
  assert.deepEqual(nearest("x", ["y"]), ["y"]);
  assert.deepEqual(nearest("alice", ["alice"]), [], "the word itself is no suggestion");
});

test("didYouMean phrases one or several names", () => {
  assert.equal(didYouMean("alcie", ["alice"]), "Did you mean 'alice'?");
  assert.equal(didYouMean("dev", ["dev1", "dev2"]), "Did you mean 'dev1' or 'dev2'?");
  assert.equal(didYouMean("nothing-like", ["alice"]), undefined);
});
