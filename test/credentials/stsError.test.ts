import { test } from "node:test";
import assert from "node:assert/strict";
import { classifyStsError } from "../../src/aws/StsError.ts";

const aws = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 } });
const ctx = {
  operation: "AssumeRole" as const,
  endpoint: "https://sts.us-east-1.amazonaws.com",
  withMfa: false,
};

test("AWS errors become codes with hints that say what to do", () => {
  const cases: [unknown, boolean, string][] = [
    [
      aws("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code."),
      true,
      "E_MFA_REJECTED",
    ],
    [
      aws("AccessDenied", "User: x is not authorized to perform: sts:AssumeRole"),
      true,
      "E_STS_ACCESS_DENIED",
    ],
    [
      aws("AccessDenied", "User: x is not authorized to perform: sts:AssumeRole"),
      false,
      "E_STS_ACCESS_DENIED",
    ],
    [
      aws("ExpiredTokenException", "The security token included in the request is expired"),
      false,
      "E_STS_EXPIRED_TOKEN",
    ],
    [
      aws("InvalidClientTokenId", "The security token included in the request is invalid."),
      false,
      "E_STS_INVALID_KEYS",
    ],
    [
      aws(
        "SignatureDoesNotMatch",
        "Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z",
      ),
      false,
      "E_CLOCK_SKEW",
    ],
    [
      aws("SignatureDoesNotMatch", "The request signature we calculated does not match"),
      false,
      "E_STS_BAD_SIGNATURE",
    ],
    [aws("ValidationError", "DurationSeconds exceeds"), false, "E_STS_VALIDATION"],
    [
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
      false,
      "E_STS_UNREACHABLE",
    ],
    [Object.assign(new Error("timed out"), { name: "TimeoutError" }), false, "E_STS_UNREACHABLE"],
  ];
  for (const [e, withMfa, code] of cases) {
    const c = classifyStsError(e, { ...ctx, withMfa });
    assert.equal(c.code, code, String(e));
    assert.ok(c.hint !== undefined && c.hint.length > 0);
  }
  const unreachable = classifyStsError(cases[8]?.[0], ctx);
  assert.match(
    unreachable.message,
    /Could not reach STS at https:\/\/sts\.us-east-1\.amazonaws\.com/,
  );
  // GetSessionToken with a code is only ever denied for the code
  assert.equal(
    classifyStsError(aws("AccessDenied", "denied"), {
      ...ctx,
      operation: "GetSessionToken",
      withMfa: true,
    }).code,
    "E_MFA_REJECTED",
  );
});

test("regression (#9 item 12): a signature rejected while the server's Date is 10 min behind us is the clock, not the keys", () => {
  const signedAtMs = Date.parse("2024-06-01T09:10:00Z");
  const withDate = (name: string, message: string, date: string) =>
    Object.assign(aws(name, message), { $response: { statusCode: 403, headers: { date } } });
  // What AWS (and fake-aws) say when the signature is dated in their future.
  const ahead = classifyStsError(
    withDate(
      "SignatureDoesNotMatch",
      "Signature not yet current: 20240601T091000Z is still later than 20240601T090500Z (20240601T090000Z + 5 min.)",
      "Sat, 01 Jun 2024 09:00:00 GMT",
    ),
    { ...ctx, operation: "GetSessionToken", withMfa: true, signedAtMs },
  );
  assert.equal(ahead.code, "E_CLOCK_SKEW");
  assert.equal(ahead.kind, "clock-skew");
  assert.equal(ahead.skewMs, 10 * 60_000);
  assert.match(ahead.message, /this computer's clock is 10 min ahead of STS's/);
  assert.doesNotMatch(ahead.message, /secret/);
  // The Date header decides even when AWS's words say nothing about time.
  const behind = classifyStsError(
    withDate(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided.",
      "Sat, 01 Jun 2024 11:13:00 GMT",
    ),
    { ...ctx, signedAtMs },
  );
  assert.equal(behind.code, "E_CLOCK_SKEW");
  assert.match(behind.message, /this computer's clock is 2 h 3 min behind STS's/);
  // A wrong secret with the clocks in step stays a wrong secret.
  const wrong = classifyStsError(
    withDate(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided.",
      "Sat, 01 Jun 2024 09:10:02 GMT",
    ),
    { ...ctx, signedAtMs },
  );
  assert.equal(wrong.code, "E_STS_BAD_SIGNATURE");
  // No Date header: AWS's "not yet current" still says it is the clock.
  assert.equal(
    classifyStsError(aws("SignatureDoesNotMatch", "Signature not yet current: x"), ctx).code,
    "E_CLOCK_SKEW",
  );
});
