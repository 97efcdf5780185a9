/**
 * The real IAM adapter (@aws-sdk/client-iam) against fake-aws: what rotate
 * sends, and AWS's error codes turned into one message with a hint.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { manualClock } from "../../fake-aws/clock.ts";
import { startFakeAws, type FakeAws } from "../../fake-aws/server.ts";
import { createSdkIamClient, IamError } from "../../src/aws/iam.ts";
import { resolveIamEndpoint } from "../../src/aws/iamEndpoint.ts";
import type { ProfileConfig } from "../../src/config/types.ts";
import { ALICE, BOB, EXAMPLE_WORLD } from "../fake-aws/helpers.ts";

const bareProfile = (name: string): ProfileConfig => ({
  name,
  raw: {},
  where: {},
  location: { file: "config", line: 1 },
  inConfig: true,
  inCredentials: false,
});

let aws: FakeAws;
before(async () => {
  aws = await startFakeAws({ world: EXAMPLE_WORLD, clock: manualClock(Date.now()) });
});
after(() => aws.stop());

const iamAs = (credentials: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}) => createSdkIamClient({ credentials, region: "us-east-1", endpoint: aws.url });

const rejectsWith = (code: string, hint: RegExp) => (e: unknown) => {
  assert.ok(e instanceof IamError, String(e));
  assert.equal(e.awsCode, code);
  assert.match(e.hint ?? "", hint);
  return true;
};

describe("IAM adapter", () => {
  it("lists, creates and deletes the calling user's keys", async () => {
    const iam = iamAs(ALICE);
    const listed = await iam.listAccessKeys();
    assert.equal(listed.userName, "alice");
    assert.deepEqual(
      listed.keys.map((k) => k.accessKeyId),
      [ALICE.accessKeyId],
    );
    const made = await iam.createAccessKey();
    assert.equal(made.userName, "alice");
    assert.match(made.accessKeyId, /^AKIA/);
    // The third key: AWS's LimitExceeded, with what to do.
    await assert.rejects(
      iam.createAccessKey(),
      rejectsWith("LimitExceeded", /two access keys per user/),
    );
    await iam.deleteAccessKey(made.accessKeyId);
    await assert.rejects(
      iam.deleteAccessKey(made.accessKeyId),
      rejectsWith("NoSuchEntity", /gone already/),
    );
    assert.equal((await iam.listAccessKeys()).keys.length, 1);
  });

  it("a key id in AWS's message shows as its last four", async () => {
    await assert.rejects(iamAs(ALICE).deleteAccessKey("AKIAFAKENOSUCHKEY0042"), (e: unknown) => {
      assert.ok(e instanceof IamError);
      assert.doesNotMatch(e.message, /AKIAFAKENOSUCHKEY0042/);
      assert.match(e.message, /\*\*\*\*0042/);
      return true;
    });
  });

  it("ForceMFA without MFA: AccessDenied says to set mfa_serial", async () => {
    await assert.rejects(iamAs(BOB).createAccessKey(), rejectsWith("AccessDenied", /mfa_serial/));
  });

  it("an unreachable endpoint: one message naming it", async () => {
    const iam = createSdkIamClient({
      credentials: ALICE,
      region: "us-east-1",
      endpoint: "http://127.0.0.1:9",
    });
    await assert.rejects(iam.listAccessKeys(), (e: unknown) => {
      assert.ok(e instanceof IamError);
      assert.match(e.message, /Could not reach IAM at http:\/\/127\.0\.0\.1:9 \(ListAccessKeys/);
      return true;
    });
  });
});

describe("IAM endpoint", () => {
  it("AWS_ENDPOINT_URL_IAM, then AWS_ENDPOINT_URL, then [services], then the partition's global endpoint", () => {
    const config = { services: new Map([["local", { iam: { endpoint_url: "http://svc" } }]]) };
    const profile: ProfileConfig = { ...bareProfile("p"), services: "local" };
    assert.equal(resolveIamEndpoint({}, config, [profile], "aws").url, "http://svc");
    assert.equal(
      resolveIamEndpoint(
        { AWS_ENDPOINT_URL_IAM: "http://a", AWS_ENDPOINT_URL: "http://b" },
        config,
        [],
        "aws",
      ).url,
      "http://a",
    );
    assert.equal(
      resolveIamEndpoint({ AWS_ENDPOINT_URL: "http://b" }, config, [], "aws").url,
      "http://b",
    );
    const cn = resolveIamEndpoint({}, config, [], "aws-cn");
    assert.deepEqual(
      [cn.url, cn.region],
      ["https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"],
    );
    const gov = resolveIamEndpoint({}, config, [], "aws-us-gov");
    assert.deepEqual([gov.url, gov.region], ["https://iam.us-gov.amazonaws.com", "us-gov-west-1"]);
    assert.equal(
      resolveIamEndpoint(
        { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true", AWS_ENDPOINT_URL_IAM: "http://a" },
        config,
        [],
        "aws",
      ).url,
      "https://iam.amazonaws.com",
    );
  });
});
