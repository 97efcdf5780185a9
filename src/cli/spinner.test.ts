import { test } from "node:test";
import assert from "node:assert/strict";
import { spinner } from "./spinner.ts";

test("draws frames while waiting and erases its line when done", () => {
  let out = "";
  let tick: (() => void) | undefined;
  let cleared = false;
  const start = spinner({
    write: (t) => (out += t),
    setInterval: (fn) => {
      tick = fn;
      return {};
    },
    clearInterval: () => (cleared = true),
  });
  const stop = start("getting the session");
  tick?.();
  tick?.();
  assert.equal((out.match(/getting the session\.\.\./g) ?? []).length, 3);
  stop();
  assert.ok(cleared);
  assert.ok(out.endsWith("\r\x1b[K"));
});
