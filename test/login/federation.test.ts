/** The sign-in URL pieces: partitions, destinations, the opener's argv. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  consoleDestination,
  federationEndpoint,
  partitionOf,
  signinUrl,
} from "../../src/aws/federation.ts";
import { federatedUserName, openerFor } from "../../src/cli/commands/login.ts";

test("partition: the region decides, else an ARN of the profile, else aws", () => {
  assert.equal(partitionOf("cn-northwest-1"), "aws-cn");
  assert.equal(partitionOf("us-gov-east-1"), "aws-us-gov");
  assert.equal(partitionOf("eu-west-1", ["arn:aws-cn:iam::1:role/x"]), "aws");
  assert.equal(partitionOf(undefined, ["arn:aws-us-gov:iam::1:role/x"]), "aws-us-gov");
  assert.equal(partitionOf(undefined), "aws");
});

test("federation endpoint per partition; AWSMFA_FEDERATION_ENDPOINT wins; a non-http one is refused", () => {
  assert.equal(federationEndpoint({}, "aws").href, "https://signin.aws.amazon.com/federation");
  assert.equal(federationEndpoint({}, "aws-cn").href, "https://signin.amazonaws.cn/federation");
  assert.equal(
    federationEndpoint({}, "aws-us-gov").href,
    "https://signin.amazonaws-us-gov.com/federation",
  );
  const env = { AWSMFA_FEDERATION_ENDPOINT: "http://127.0.0.1:9/federation" };
  assert.equal(federationEndpoint(env, "aws-cn").href, "http://127.0.0.1:9/federation");
  assert.throws(
    () => federationEndpoint({ AWSMFA_FEDERATION_ENDPOINT: "file:///etc/passwd" }, "aws"),
    /AWSMFA_FEDERATION_ENDPOINT is not an http\(s\) URL/,
  );
});

test("destination: region and path, query and fragment kept; a host or scheme in --path refused", () => {
  assert.equal(consoleDestination("aws", undefined, undefined), "https://console.aws.amazon.com/");
  assert.equal(
    consoleDestination("aws", undefined, "/s3/home"),
    "https://console.aws.amazon.com/s3/home",
  );
  assert.equal(
    consoleDestination("aws-cn", "cn-north-1", "ec2/home#Instances:"),
    "https://cn-north-1.console.amazonaws.cn/ec2/home?region=cn-north-1#Instances:",
  );
  assert.equal(
    consoleDestination("aws", "eu-west-1", "cloudwatch/home?x=1"),
    "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?x=1&region=eu-west-1",
  );
  assert.throws(
    () => consoleDestination("aws", "eu-west-1", "javascript:alert(1)"),
    /console path/,
  );
  // Leading slashes go: "//host" cannot become a network-path reference.
  assert.equal(
    new URL(consoleDestination("aws", undefined, "//evil.example/")).host,
    "console.aws.amazon.com",
  );
});

test("the sign-in URL carries Action, Issuer, Destination and the token, encoded", () => {
  const url = new URL(
    signinUrl(
      new URL("https://signin.aws.amazon.com/federation"),
      "tok&en=1",
      "https://console.aws.amazon.com/?a=b&c=d",
      "awsmfa",
    ),
  );
  assert.equal(url.searchParams.get("Action"), "login");
  assert.equal(url.searchParams.get("SigninToken"), "tok&en=1");
  assert.equal(url.searchParams.get("Destination"), "https://console.aws.amazon.com/?a=b&c=d");
});

test("the opener is an argv array per platform, the URL one argument, no shell", () => {
  const url = "https://x/federation?Action=login&SigninToken=a";
  assert.deepEqual(openerFor("linux", url), ["xdg-open", [url]]);
  assert.deepEqual(openerFor("darwin", url), ["open", [url]]);
  assert.deepEqual(openerFor("win32", url), ["rundll32", ["url.dll,FileProtocolHandler", url]]);
});

test("GetFederationToken's Name fits AWS's 2..32 of [\\w+=,.@-]", () => {
  assert.equal(federatedUserName("dev/admin team"), "dev-admin-team");
  assert.equal(federatedUserName("x"), "awsmfa-x");
  assert.equal(federatedUserName("a".repeat(40)).length, 32);
});
