/**
 * Bug (duplication): src/credentials/durations.ts and src/config/validate.ts
 * each had a parser for the same `-d` syntax. credentials' is now a thin use
 * of config's (without its range: the engine checks the limit that applies).
 * Valid inputs give what they always gave.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseDuration } from "../../src/credentials/durations.ts";
import { parseDuration as parseInRange } from "../../src/config/validate.ts";

test("one -d parser: the forms aws-vault takes parse as before; garbage does not", () => {
  const cases: [string, number][] = [
    ["0", 0],
    ["900", 900],
    [" 3600 ", 3600],
    ["15m", 900],
    ["1h", 3600],
    ["1h30m", 5400],
    ["3600s", 3600],
    ["1h0m0s", 3600],
    ["1h1s", 3601],
    ["90m", 5400],
    ["36h", 129_600],
    ["129600", 129_600],
  ];
  for (const [text, seconds] of cases) assert.equal(parseDuration(text), seconds, text);
  for (const text of ["", "h", "1d", "1.5h", "-1", "1h 30m", "soon"]) {
    assert.equal(parseDuration(text), undefined, text);
  }
});

test("one -d parser: agrees with config's parser on every h/m/s duration within its range", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 36 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
      fc.boolean(),
      (h, m, s, plain) => {
        const text = plain
          ? String(h * 3600 + m * 60 + s)
          : `${String(h)}h${String(m)}m${String(s)}s`;
        const n = h * 3600 + m * 60 + s;
        assert.equal(parseDuration(text), n, text);
        if (n <= 129_600) {
          assert.deepEqual(parseInRange(text, { min: 0, max: 129_600 }), { ok: true, value: n });
        }
      },
    ),
  );
});
