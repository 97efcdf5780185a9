import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDurationFlag } from "./duration.ts";

test("plain seconds and units", () => {
  assert.equal(parseDurationFlag("3600"), 3600);
  assert.equal(parseDurationFlag("15m"), 900);
  assert.equal(parseDurationFlag("1h"), 3600);
  assert.equal(parseDurationFlag("1h30m"), 5400);
  assert.equal(parseDurationFlag("900s"), 900);
});

test("anything else is a usage error naming the value", () => {
  for (const bad of ["", "1d", "h", "1h 30m", "-5", "1.5h", "15mm"]) {
    assert.throws(
      () => parseDurationFlag(bad),
      (e: unknown) => {
        assert.ok(e instanceof Error && e.message.includes(`'${bad}'`));
        return true;
      },
    );
  }
});
