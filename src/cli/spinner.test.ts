import { test } from "node:test";
import assert from "node:assert/strict";
import { createTerminalOverlays } from "../platform/terminalOverlays.ts";
import { spinner } from "./spinner.ts";

function fakeTimers() {
  let tick: (() => void) | undefined;
  let running = 0;
  return {
    tick: () => tick?.(),
    running: () => running,
    setInterval: (fn: () => void) => {
      tick = fn;
      running++;
      return {};
    },
    clearInterval: () => {
      tick = undefined;
      running--;
    },
  };
}

test("draws frames while waiting and erases its line when done", () => {
  let out = "";
  const timers = fakeTimers();
  const start = spinner({
    write: (t) => (out += t),
    ...timers,
    overlays: createTerminalOverlays(),
  });
  const stop = start("getting the session");
  timers.tick();
  timers.tick();
  assert.equal((out.match(/getting the session\.\.\./g) ?? []).length, 3);
  stop();
  assert.equal(timers.running(), 0);
  assert.ok(out.endsWith("\r\x1b[K"));
});

test("regression (#9 item 2): an open question hides the spinner (erased, no frames) and it comes back after", () => {
  let out = "";
  const timers = fakeTimers();
  const overlays = createTerminalOverlays();
  const start = spinner({ write: (t) => (out += t), ...timers, overlays });
  const stop = start("getting the session");
  const release = overlays.hold();
  assert.ok(out.endsWith("\r\x1b[K"), "erased when the question opens");
  assert.equal(timers.running(), 0, "no timer draws over the question");
  out = "";
  timers.tick();
  assert.equal(out, "");
  release();
  assert.match(out, /getting the session\.\.\./, "drawn again after the answer");
  assert.equal(timers.running(), 1);
  stop();
  assert.equal(timers.running(), 0);
});

test("a spinner started while a question is open stays hidden, and stopping it then writes nothing over the question", () => {
  let out = "";
  const timers = fakeTimers();
  const overlays = createTerminalOverlays();
  const release = overlays.hold();
  const stop = spinner({ write: (t) => (out += t), ...timers, overlays })("getting the role");
  assert.equal(out, "");
  stop();
  assert.equal(out, "");
  release();
  assert.equal(out, "", "a stopped spinner does not come back");
  assert.equal(timers.running(), 0);
});

test("nested questions: the spinner comes back only when the last one closes", () => {
  let out = "";
  const timers = fakeTimers();
  const overlays = createTerminalOverlays();
  const stop = spinner({ write: (t) => (out += t), ...timers, overlays })("getting the session");
  const outer = overlays.hold();
  const inner = overlays.hold();
  inner();
  inner();
  assert.equal(timers.running(), 0, "a release called twice counts once");
  outer();
  assert.equal(timers.running(), 1);
  stop();
});
