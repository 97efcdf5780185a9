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
