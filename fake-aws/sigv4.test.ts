import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  canonicalQuery,
  canonicalUri,
  checkRequestTime,
  expectedSignature,
  parseAuth,
  parseQuery,
  verifySignature,
} from "./sigv4.ts";
import type { SignedRequest } from "./sigv4.ts";
import { AwsFault } from "./errors.ts";

// The worked example of the AWS General Reference ("Signature Version 4 signing process"):
// GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08 at 20150830T123600Z.
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const EXAMPLE_SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

function example(signature = EXAMPLE_SIGNATURE): SignedRequest {
  return {
    method: "GET",
    rawUrl: "/?Action=ListUsers&Version=2010-05-08",
    rawHeaders: [
      "Host",
      "iam.amazonaws.com",
      "Content-Type",
      "application/x-www-form-urlencoded; charset=utf-8",
      "X-Amz-Date",
      "20150830T123600Z",
      "Authorization",
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
    ],
    body: Buffer.alloc(0),
  };
}

test("reproduces the AWS documentation's worked SigV4 example", () => {
  const req = example();
  const auth = parseAuth(req);
  assert.ok(auth);
  assert.equal(auth.accessKeyId, "AKIDEXAMPLE");
  assert.equal(auth.service, "iam");
  assert.equal(expectedSignature(req, auth, SECRET), EXAMPLE_SIGNATURE);
  verifySignature(req, auth, SECRET);
});

test("a wrong secret or a changed parameter is SignatureDoesNotMatch", () => {
  const req = example();
  const auth = parseAuth(req);
  assert.ok(auth);
  const isMismatch = (e: unknown) => e instanceof AwsFault && e.code === "SignatureDoesNotMatch";
  assert.throws(() => {
    verifySignature(req, auth, SECRET.replace("w", "W"));
  }, isMismatch);
  const tampered = { ...req, rawUrl: "/?Action=ListUsers&Version=2010-05-09" };
  assert.throws(() => {
    verifySignature(tampered, auth, SECRET);
  }, isMismatch);
});

test("request time: 5 minutes either way, with AWS's messages", () => {
  const auth = parseAuth(example());
  assert.ok(auth);
  const signed = Date.UTC(2015, 7, 30, 12, 36, 0);
  checkRequestTime(auth, signed + 299_000);
  checkRequestTime(auth, signed - 299_000);
  assert.throws(
    () => {
      checkRequestTime(auth, signed + 10 * 60_000);
    },
    (e: unknown) =>
      e instanceof AwsFault &&
      e.code === "SignatureDoesNotMatch" &&
      e.message ===
        "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)",
  );
  assert.throws(
    () => {
      checkRequestTime(auth, signed - 10 * 60_000);
    },
    (e: unknown) => e instanceof AwsFault && /^Signature not yet current: /.test(e.message),
  );
});

test("canonical query sorts by encoded key and value and encodes per RFC 3986", () => {
  assert.equal(canonicalQuery(parseQuery("b=2&a=x%20y&a=!&c=%7E*")), "a=%21&a=x%20y&b=2&c=~%2A");
  assert.equal(canonicalQuery(parseQuery("a=1+2")), "a=1%202");
});

test("canonical URI normalises dot segments and encodes each segment again", () => {
  assert.equal(canonicalUri("/"), "/");
  assert.equal(canonicalUri("/a/./b/../c"), "/a/c");
  assert.equal(canonicalUri("/a%20b"), "/a%2520b");
});

test("a POST body is covered by the signature through its hash", () => {
  const body = Buffer.from("Action=GetCallerIdentity&Version=2011-06-15");
  const base: SignedRequest = {
    method: "POST",
    rawUrl: "/",
    rawHeaders: [
      "host",
      "127.0.0.1:1",
      "x-amz-date",
      "20150830T123600Z",
      "x-amz-content-sha256",
      createHash("sha256").update(body).digest("hex"),
      "authorization",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00",
    ],
    body,
  };
  const auth = parseAuth(base);
  assert.ok(auth);
  const good = { ...auth, signature: expectedSignature(base, auth, SECRET) };
  verifySignature(base, good, SECRET);
  assert.throws(
    () => {
      verifySignature(
        { ...base, body: Buffer.from("Action=GetSessionToken&Version=2011-06-15") },
        good,
        SECRET,
      );
    },
    (e: unknown) => e instanceof AwsFault && e.code === "XAmzContentSHA256Mismatch",
  );
});
