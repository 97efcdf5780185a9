import { test } from "node:test";
import assert from "node:assert/strict";
import { base32Decode, base32Encode, hotp, matchTotp, totpAt } from "./totp.ts";

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last 6 of the 8-digit values.
const RFC_SEED = base32Encode(Buffer.from("12345678901234567890", "ascii"));

test("TOTP matches the RFC 6238 SHA-1 test vectors", () => {
  assert.equal(totpAt(RFC_SEED, 59_000), "287082");
  assert.equal(totpAt(RFC_SEED, 1111111109_000), "081804");
  assert.equal(totpAt(RFC_SEED, 1234567890_000), "005924");
  assert.equal(totpAt(RFC_SEED, 2000000000_000), "279037");
});

test("HOTP matches RFC 4226 appendix D", () => {
  const key = Buffer.from("12345678901234567890", "ascii");
  assert.deepEqual(
    [0, 1, 2, 9].map((c) => hotp(key, c)),
    ["755224", "287082", "359152", "520489"],
  );
});

test("base32 round-trips and ignores case, padding and spaces", () => {
  const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
  const text = base32Encode(bytes);
  assert.deepEqual(base32Decode(text.toLowerCase() + "===="), bytes);
  assert.equal(base32Encode(Buffer.from("foobar")), "MZXW6YTBOI");
  assert.throws(() => base32Decode("ABC1"), /invalid base32/);
});

test("a code matches its own step and one step either side, no further", () => {
  const t = 1_700_000_000_000;
  const code = totpAt(RFC_SEED, t);
  const step = matchTotp(RFC_SEED, code, t);
  assert.equal(typeof step, "number");
  assert.equal(matchTotp(RFC_SEED, code, t + 30_000), step);
  assert.equal(matchTotp(RFC_SEED, code, t - 30_000), step);
  assert.equal(matchTotp(RFC_SEED, code, t + 60_000), undefined);
  assert.equal(matchTotp(RFC_SEED, code, t - 60_000), undefined);
});
