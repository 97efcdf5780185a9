/**
 * How IAM Identity Center profiles plan (#15), and what a broken SSO
 * configuration says: pure, no network.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { planCredentials } from "../../src/credentials/getCredentials.ts";
import { ssoRoleOf, ssoSessionOf, tokenCacheKey } from "../../src/sso/ssoSettings.ts";
import type { AwsConfig } from "../../src/config/types.ts";
import { makeConfig, prof } from "../credentials/helpers.ts";

const ROLE = "arn:aws:iam::111111111111:role/deploy";

function config(): AwsConfig {
  return {
    ...makeConfig(
      prof("dev", { ssoSession: "corp", ssoAccountId: "111111111111", ssoRoleName: "admin" }),
      prof("deploy", { roleArn: ROLE, sourceProfile: "dev" }),
      prof("deploy-mfa", { sourceProfile: "dev", mfaSerial: "arn:aws:iam::111111111111:mfa/x" }),
      prof("nosession", { ssoSession: "missing", ssoAccountId: "1", ssoRoleName: "r" }),
      prof("norole", { ssoSession: "corp" }),
      prof("legacy", { ssoStartUrl: "https://l.awsapps.com/start", ssoRegion: "eu-west-1" }),
    ),
    ssoSessions: new Map([
      ["corp", { sso_start_url: "https://corp.awsapps.com/start", sso_region: "us-east-1" }],
    ]),
  };
}

const plan = (profile: string, stored: string[] = []) =>
  planCredentials(config(), { profile }, { storedKeys: new Set(stored), env: {} });

test("regression (#15): an sso_session profile is an IAM Identity Center source, handed out as is (was E_UNSUPPORTED_SSO)", () => {
  const p = plan("dev");
  assert.equal(p.source.kind, "sso");
  assert.deepEqual(p.steps, [], "no GetSessionToken on temporary role credentials");
});

test("a role over an SSO profile is one AssumeRole chained from its credentials (AWS caps it at 1 h)", () => {
  assert.throws(
    () =>
      planCredentials(
        config(),
        { profile: "deploy", durationSeconds: 7200 },
        { storedKeys: new Set(), env: {} },
      ),
    { code: "E_BAD_DURATION", message: /role chaining/ },
  );
  const p = plan("deploy");
  assert.equal(p.source.kind, "sso");
  assert.deepEqual(
    p.steps.map((s) => `${s.kind} ${s.kind === "role" ? String(s.chained) : ""}`),
    ["role true"],
  );
});

test("mfa_serial after an SSO source is refused: GetSessionToken needs long-term keys", () => {
  assert.throws(() => plan("deploy-mfa"), { code: "E_MFA_AFTER_TEMPORARY" });
});

test("stored keys for the profile still win over its sso_* settings", () => {
  assert.equal(plan("dev", ["dev"]).source.kind, "stored-keys");
});

test("broken SSO settings say what is missing, where, and what to do", () => {
  const c = config();
  const get = (n: string) => {
    const p = c.profiles.get(n);
    assert.ok(p !== undefined);
    return p;
  };
  assert.throws(() => ssoSessionOf(c, get("nosession")), {
    code: "E_SSO_CONFIG",
    message: /no \[sso-session missing\]/,
  });
  assert.throws(() => ssoRoleOf(get("norole")), {
    code: "E_SSO_CONFIG",
    message: /norole .* no sso_account_id and sso_role_name/,
  });
});

test("the token cache key is the AWS CLI's: sha1 of the session name, or of the start URL", () => {
  const c = config();
  const dev = c.profiles.get("dev");
  const legacy = c.profiles.get("legacy");
  assert.ok(dev !== undefined && legacy !== undefined);
  // printf corp | sha1sum; printf https://l.awsapps.com/start | sha1sum
  assert.equal(tokenCacheKey(ssoSessionOf(c, dev)), "ee0bfd2552fbd840c02cc48b6e823320543c450f");
  assert.equal(tokenCacheKey(ssoSessionOf(c, legacy)), "fc51d11d8f019de074eadf00f96cce8985c3b61e");
});
