import { test } from "node:test";
import assert from "node:assert/strict";
import {
  isMfaSerial,
  isRoleArn,
  parseDuration,
  parseDurationSeconds,
  parseSessionTags,
  parseTransitiveSessionTags,
} from "./validate.ts";

test("mfa_serial: device ARNs in any partition, with paths, or hardware serials", () => {
  for (const s of [
    "arn:aws:iam::123456789012:mfa/me",
    "arn:aws-us-gov:iam::123456789012:mfa/path/to/me",
    "arn:aws-cn:iam::123456789012:mfa/a.b@c+d=e,f-g_h",
    "GAHT12345678",
  ])
    assert.ok(isMfaSerial(s), s);
  for (const s of [
    "",
    "arn:aws:iam::12345678901:mfa/me",
    "arn:aws:iam::123456789012:mfa/",
    "arn:aws:iam::123456789012:user/me",
    "arn:aws:sts::123456789012:mfa/me",
    "arn:aws:iam::123456789012:mfa/me ",
    "123456",
    "arn:aws:iam::123456789012:mfa/a b",
  ])
    assert.ok(!isMfaSerial(s), s);
});

test("role_arn", () => {
  assert.ok(isRoleArn("arn:aws:iam::123456789012:role/admin"));
  assert.ok(isRoleArn("arn:aws-iso-b:iam::123456789012:role/service-role/x"));
  for (const s of [
    "arn:aws:iam::123456789012:role/",
    "arn:aws:iam::123456789012:user/x",
    "role/x",
    "arn:aws:iam:us-east-1:123456789012:role/x",
  ]) {
    assert.ok(!isRoleArn(s), s);
  }
});

test("durations", () => {
  assert.deepEqual(parseDurationSeconds("3600"), { ok: true, value: 3600 });
  assert.deepEqual(parseDurationSeconds(" 900 "), { ok: true, value: 900 });
  for (const s of ["899", "43201", "1h", "-1", "3600.5", "", "1e3"])
    assert.equal(parseDurationSeconds(s).ok, false, s);
  assert.deepEqual(parseDuration("1h30m"), { ok: true, value: 5400 });
  assert.deepEqual(parseDuration("45m"), { ok: true, value: 2700 });
  assert.deepEqual(parseDuration("3600s"), { ok: true, value: 3600 });
  assert.deepEqual(parseDuration("12h", { min: 900, max: 129600 }), { ok: true, value: 43200 });
  for (const s of ["1d", "h", "10m", "1.5h", ""]) assert.equal(parseDuration(s).ok, false, s);
});

test("session tags in aws-vault's format", () => {
  assert.deepEqual(parseSessionTags("a=1, b = two"), { ok: true, value: { a: "1", b: "two" } });
  assert.deepEqual(parseSessionTags("__proto__=x"), {
    ok: true,
    value: Object.fromEntries([["__proto__", "x"]]),
  });
  for (const s of ["a", "a=1,a=2", "=v", "a=1,"]) assert.equal(parseSessionTags(s).ok, false, s);
  assert.deepEqual(parseTransitiveSessionTags("a, b"), { ok: true, value: ["a", "b"] });
  assert.equal(parseTransitiveSessionTags("a,,b").ok, false);
});
