import { test } from "node:test";
import assert from "node:assert/strict";
import { planCredentials } from "../../src/credentials/getCredentials.ts";
import type { CredentialPlan, RoleStep, SessionStep } from "../../src/credentials/plan/types.ts";
import { sanitizeRoleSessionName } from "../../src/credentials/roleSessionName.ts";
import { ALICE_MFA, makeConfig, prof, seed000Config } from "./helpers.ts";
import type { CredentialRequest } from "../../src/credentials/types.ts";
import type { AwsConfig } from "../../src/config/types.ts";

const plan = (
  config: AwsConfig,
  req: CredentialRequest,
  stored: string[] = ["caktus"],
  env: Record<string, string> = { USER: "alice" },
): CredentialPlan => planCredentials(config, req, { storedKeys: new Set(stored), env });

const summary = (p: CredentialPlan) =>
  p.steps.map((s) =>
    s.kind === "session"
      ? `session ${s.sourceProfile} ${s.mfa?.serial ?? "-"} ${String(s.duration.seconds)}`
      : `role ${s.profile} ${s.mfa?.serial ?? "-"} ${String(s.duration.seconds)}${s.chained ? " chained" : ""}`,
  );

const throwsCode = (fn: () => unknown, code: string): void => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error && "code" in e, String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
};

test("seed 000: role profiles use one 8h MFA session of the *-mfa profile, keyed by the keys' profile", () => {
  const config = seed000Config();
  const p = plan(config, { profile: "saguaro-cluster" });
  assert.deepEqual(p.source, { kind: "stored-keys", profile: "caktus" });
  assert.deepEqual(p.chain, ["saguaro-cluster", "caktus-mfa", "caktus"]);
  assert.deepEqual(summary(p), [
    `session caktus ${ALICE_MFA} 28800`,
    "role saguaro-cluster - 3600",
  ]);
  assert.ok(p.notes.some((n) => n.includes("stored keys") && n.includes("caktus")));
  // Every role from caktus-mfa shares the session (one prompt).
  const other = plan(config, { profile: "other-role" });
  assert.equal(other.steps[0]?.cacheKey, p.steps[0]?.cacheKey);
  assert.notEqual(other.steps[1]?.cacheKey, p.steps[1]?.cacheKey);
});

test("seed 000: the *-mfa profile alone is a 1h MFA session; the base profile --no-session is its keys", () => {
  const config = seed000Config();
  assert.deepEqual(summary(plan(config, { profile: "caktus-mfa" })), [
    `session caktus ${ALICE_MFA} 3600`,
  ]);
  const base = plan(config, { profile: "caktus", noSession: true });
  assert.deepEqual(base.steps, []);
  assert.deepEqual(base.source, { kind: "stored-keys", profile: "caktus" });
  // Without --no-session stored keys are never handed out: a session without MFA.
  assert.deepEqual(summary(plan(config, { profile: "caktus" })), ["session caktus - 3600"]);
});

test("seed 000 without stored keys: the credential_process calling awsmfa back is not run", () => {
  throwsCode(() => plan(seed000Config(), { profile: "saguaro-cluster" }, []), "E_NO_STORED_KEYS");
});

test("a credential_process that is not awsmfa is the long-term source", () => {
  const config = makeConfig(
    prof("base", { credentialProcess: "aws-vault exec --no-session --json caktus" }),
    prof("mfa", { mfaSerial: ALICE_MFA, sourceProfile: "base" }),
  );
  const p = plan(config, { profile: "mfa" }, []);
  assert.equal(p.source.kind, "credential-process");
  assert.deepEqual(summary(p), [`session base ${ALICE_MFA} 3600`]);
  // awsmfa for another profile is fine too
  const other = makeConfig(
    prof("x", { credentialProcess: "awsmfa export --format credential-process y" }),
  );
  assert.equal(plan(other, { profile: "x" }, []).source.kind, "credential-process");
});

test("a role duration over 1h skips the session and assumes the role with MFA directly", () => {
  const p = plan(seed000Config(), { profile: "saguaro-cluster", durationSeconds: 7200 });
  assert.deepEqual(summary(p), [`role saguaro-cluster ${ALICE_MFA} 7200`]);
  assert.ok(
    p.notes.some((n) =>
      n.startsWith("skipping GetSessionToken because the role duration is over 1h"),
    ),
  );
  // --no-session does the same at any duration
  assert.deepEqual(
    summary(plan(seed000Config(), { profile: "saguaro-cluster", noSession: true })),
    [`role saguaro-cluster ${ALICE_MFA} 3600`],
  );
});

test("AWS CLI layout: mfa_serial on each role; roles without it are assumed from the keys", () => {
  const config = makeConfig(
    prof("default", { region: "eu-west-1" }),
    prof("admin", {
      roleArn: "arn:aws:iam::111111111111:role/admin",
      sourceProfile: "default",
      mfaSerial: ALICE_MFA,
    }),
    prof("ops", {
      roleArn: "arn:aws:iam::111111111111:role/ops",
      sourceProfile: "default",
      mfaSerial: ALICE_MFA,
    }),
    prof("readonly", {
      roleArn: "arn:aws:iam::111111111111:role/readonly",
      sourceProfile: "default",
    }),
    prof("deploy", { roleArn: "arn:aws:iam::111111111111:role/deploy", sourceProfile: "admin" }),
  );
  const admin = plan(config, { profile: "admin" }, ["default"]);
  assert.deepEqual(summary(admin), [`session default ${ALICE_MFA} 28800`, "role admin - 3600"]);
  assert.equal(admin.region, "eu-west-1");
  const ops = plan(config, { profile: "ops" }, ["default"]);
  assert.equal(
    ops.steps[0]?.cacheKey,
    admin.steps[0]?.cacheKey,
    "admin and ops share one MFA session",
  );
  assert.deepEqual(summary(plan(config, { profile: "readonly" }, ["default"])), [
    "role readonly - 3600",
  ]);
  // Chains of any depth; the chained hop is capped at 1h.
  assert.deepEqual(summary(plan(config, { profile: "deploy" }, ["default"])), [
    `session default ${ALICE_MFA} 28800`,
    "role admin - 3600",
    "role deploy - 3600 chained",
  ]);
  throwsCode(
    () => plan(config, { profile: "deploy", durationSeconds: 7200 }, ["default"]),
    "E_BAD_DURATION",
  );
  // -d over 1h on the first hop of a chain is only the last hop's: still fine for admin.
  assert.deepEqual(
    summary(plan(config, { profile: "admin", durationSeconds: 43200 }, ["default"])),
    [`role admin ${ALICE_MFA} 43200`],
  );
});

test("durations: ranges checked before any call, env overrides and aws-vault fallbacks", () => {
  const config = seed000Config();
  throwsCode(() => plan(config, { profile: "caktus-mfa", durationSeconds: 600 }), "E_BAD_DURATION");
  throwsCode(
    () => plan(config, { profile: "caktus-mfa", durationSeconds: 129601 }),
    "E_BAD_DURATION",
  );
  assert.deepEqual(summary(plan(config, { profile: "caktus-mfa", durationSeconds: 129600 })), [
    `session caktus ${ALICE_MFA} 129600`,
  ]);
  throwsCode(
    () => plan(config, { profile: "saguaro-cluster", durationSeconds: 43201 }),
    "E_BAD_DURATION",
  );
  throwsCode(
    () => plan(config, { profile: "saguaro-cluster", durationSeconds: 899 }),
    "E_BAD_DURATION",
  );

  const env = (e: Record<string, string>) => ({ USER: "alice", ...e });
  assert.deepEqual(
    summary(
      plan(config, { profile: "caktus-mfa" }, ["caktus"], env({ AWSMFA_SESSION_TTL: "12h" })),
    ),
    [`session caktus ${ALICE_MFA} 43200`],
  );
  assert.deepEqual(
    summary(
      plan(config, { profile: "caktus-mfa" }, ["caktus"], env({ AWS_SESSION_TOKEN_TTL: "2h" })),
    ),
    [`session caktus ${ALICE_MFA} 7200`],
  );
  assert.deepEqual(
    summary(
      plan(
        config,
        { profile: "saguaro-cluster" },
        ["caktus"],
        env({ AWSMFA_ASSUME_ROLE_TTL: "30m", AWS_CHAINED_SESSION_TOKEN_TTL: "4h" }),
      ),
    ),
    [`session caktus ${ALICE_MFA} 14400`, "role saguaro-cluster - 1800"],
  );
  assert.deepEqual(
    summary(
      plan(config, { profile: "saguaro-cluster" }, ["caktus"], env({ AWS_ASSUME_ROLE_TTL: "2h" })),
    ),
    [`role saguaro-cluster ${ALICE_MFA} 7200`],
  );
  // -d beats the environment.
  assert.deepEqual(
    summary(
      plan(
        config,
        { profile: "saguaro-cluster", durationSeconds: 900 },
        ["caktus"],
        env({ AWSMFA_ASSUME_ROLE_TTL: "2h" }),
      ),
    ),
    [`session caktus ${ALICE_MFA} 28800`, "role saguaro-cluster - 900"],
  );
  throwsCode(
    () => plan(config, { profile: "caktus-mfa" }, ["caktus"], env({ AWSMFA_SESSION_TTL: "soon" })),
    "E_BAD_DURATION",
  );
  // duration_seconds of the profile, with its file:line in messages
  const withDuration = makeConfig(
    prof("default"),
    prof("r", {
      roleArn: "arn:aws:iam::111111111111:role/r",
      sourceProfile: "default",
      durationSeconds: 1800,
    }),
  );
  const r = plan(withDuration, { profile: "r" }, ["default"]);
  assert.equal((r.steps[0] as RoleStep).duration.seconds, 1800);
  assert.match(
    (r.steps[0] as RoleStep).duration.from,
    /duration_seconds of profile r \(.*config:\d+\)/,
  );
});

test("role parameters: external id, session name, source identity, tags", () => {
  const config = makeConfig(
    prof("default"),
    prof("partner", {
      roleArn: "arn:aws:iam::111111111111:role/partner",
      sourceProfile: "default",
      externalId: "fake-external-id-0001",
      sourceIdentity: "alice",
      sessionTags: { team: "core", env: "dev" },
      transitiveSessionTags: ["team"],
    }),
    prof("named", {
      roleArn: "arn:aws:iam::111111111111:role/x",
      sourceProfile: "default",
      roleSessionName: "ci-run",
    }),
    prof("badname", {
      roleArn: "arn:aws:iam::111111111111:role/x",
      sourceProfile: "default",
      roleSessionName: "has space",
    }),
  );
  const step = plan(config, { profile: "partner" }, ["default"], { USER: "Jane Doe (admin)" })
    .steps[0] as RoleStep;
  assert.equal(step.externalId, "fake-external-id-0001");
  assert.equal(step.roleSessionName, "Jane-Doe--admin-");
  assert.equal(step.sourceIdentity, "alice");
  assert.deepEqual(step.tags, [
    { key: "team", value: "core" },
    { key: "env", value: "dev" },
  ]);
  assert.deepEqual(step.transitiveTagKeys, ["team"]);
  assert.equal(
    (plan(config, { profile: "named" }, ["default"]).steps[0] as RoleStep).roleSessionName,
    "ci-run",
  );
  throwsCode(() => plan(config, { profile: "badname" }, ["default"]), "E_BAD_ROLE_SESSION_NAME");
  assert.equal(sanitizeRoleSessionName(""), "awsmfa");
  assert.equal(sanitizeRoleSessionName("x"), "awsmfa-x");
  assert.equal(sanitizeRoleSessionName("a".repeat(80)).length, 64);
  // a different external id is a different cached role
  const other = makeConfig(
    prof("default"),
    prof("partner", {
      roleArn: "arn:aws:iam::111111111111:role/partner",
      sourceProfile: "default",
      externalId: "other",
    }),
  );
  assert.notEqual(
    plan(other, { profile: "partner" }, ["default"]).steps[0]?.cacheKey,
    step.cacheKey,
  );
});

test("endpoints: AWS_ENDPOINT_URL_STS > AWS_ENDPOINT_URL > [services] > endpoint_url > regional", () => {
  const base = makeConfig(
    prof("default", { region: "eu-central-1", endpointUrl: "http://profile", services: "local" }),
  );
  const config: AwsConfig = {
    ...base,
    services: new Map([["local", { sts: { endpoint_url: "http://services" } }]]),
  };
  const ep = (env: Record<string, string>) =>
    plan(config, { profile: "default" }, ["default"], env).endpoint.url;
  assert.equal(
    ep({ AWS_ENDPOINT_URL_STS: "http://sts", AWS_ENDPOINT_URL: "http://all" }),
    "http://sts",
  );
  assert.equal(ep({ AWS_ENDPOINT_URL: "http://all" }), "http://all");
  assert.equal(ep({}), "http://services");
  assert.equal(
    ep({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true", AWS_ENDPOINT_URL: "http://all" }),
    "https://sts.eu-central-1.amazonaws.com",
  );
  const plain = makeConfig(prof("default", { endpointUrl: "http://profile" }));
  assert.equal(
    planCredentials(plain, { profile: "default" }, { storedKeys: new Set(["default"]), env: {} })
      .endpoint.url,
    "http://profile",
  );
  const none = makeConfig(prof("default"));
  const p = planCredentials(
    none,
    { profile: "default", region: "ap-south-1" },
    { storedKeys: new Set(["default"]), env: {} },
  );
  assert.equal(p.endpoint.url, "https://sts.ap-south-1.amazonaws.com");
  assert.equal(p.region, "ap-south-1");
  assert.equal(
    planCredentials(
      none,
      { profile: "default" },
      { storedKeys: new Set(["default"]), env: { AWS_REGION: "us-west-2" } },
    ).region,
    "us-west-2",
  );
});

test("plain-text keys work and the plan says they are in plain text", () => {
  const config = makeConfig(
    prof("default", {
      mfaSerial: ALICE_MFA,
      staticKeys: {
        accessKeyId: "AKIAX",
        secretAccessKey: "y",
        where: { file: "/home/u/.aws/credentials", line: 2 },
      },
    }),
  );
  const p = plan(config, { profile: "default" }, []);
  assert.equal(p.source.kind, "static-keys");
  assert.ok(p.notes.some((n) => n.includes("plain text") && n.includes("credentials:2")));
  assert.deepEqual(summary(p), [`session default ${ALICE_MFA} 3600`]);
  // Stored keys win over plain-text ones.
  assert.equal(plan(config, { profile: "default" }, ["default"]).source.kind, "stored-keys");
});

test("errors: no credentials, cycles, missing profiles, mfa after temporary credentials", () => {
  throwsCode(() => plan(makeConfig(prof("lonely")), { profile: "lonely" }, []), "E_NO_CREDENTIALS");
  throwsCode(
    () =>
      plan(
        makeConfig(prof("a", { sourceProfile: "b" }), prof("b", { sourceProfile: "a" })),
        { profile: "a" },
        [],
      ),
    "E_PROFILE_CYCLE",
  );
  throwsCode(
    () => plan(makeConfig(prof("a", { sourceProfile: "nope" })), { profile: "a" }, []),
    "E_CONFIG_REFERENCE",
  );
  throwsCode(() => plan(makeConfig(prof("a")), { profile: "b" }, []), "E_PROFILE_NOT_FOUND");
  const config = makeConfig(
    prof("default"),
    prof("role", { roleArn: "arn:aws:iam::111111111111:role/r", sourceProfile: "default" }),
    prof("mfa-after-role", { mfaSerial: ALICE_MFA, sourceProfile: "role" }),
  );
  throwsCode(
    () => plan(config, { profile: "mfa-after-role" }, ["default"]),
    "E_MFA_AFTER_TEMPORARY",
  );
});

test("a second device on the role itself needs a second code; the same device never does", () => {
  const BOB = "arn:aws:iam::111111111111:mfa/bob";
  const config = makeConfig(
    prof("default"),
    prof("mfa", { mfaSerial: ALICE_MFA, sourceProfile: "default" }),
    prof("same", { roleArn: "arn:aws:iam::1:role/s", sourceProfile: "mfa", mfaSerial: ALICE_MFA }),
    prof("other", { roleArn: "arn:aws:iam::1:role/o", sourceProfile: "mfa", mfaSerial: BOB }),
  );
  assert.deepEqual(summary(plan(config, { profile: "same" }, ["default"])), [
    `session default ${ALICE_MFA} 28800`,
    "role same - 3600",
  ]);
  assert.deepEqual(summary(plan(config, { profile: "other" }, ["default"])), [
    `session default ${ALICE_MFA} 28800`,
    `role other ${BOB} 3600`,
  ]);
  const s = plan(config, { profile: "same" }, ["default"]).steps[0] as SessionStep;
  assert.equal(s.profile, "mfa");
});
