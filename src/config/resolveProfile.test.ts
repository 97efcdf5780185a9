import { test } from "node:test";
import assert from "node:assert/strict";
import { buildAwsConfig } from "./buildAwsConfig.ts";
import { parseIni } from "./IniDocument.ts";
import { resolveProfile } from "./resolveProfile.ts";
import { AwsmfaError } from "../errors.ts";

const MFA = "arn:aws:iam::123456789012:mfa/me";
const ROLE = "arn:aws:iam::123456789012:role/admin";

function cfg(config: string, credentials = "") {
  return buildAwsConfig({
    configFile: "/home/u/.aws/config",
    credentialsFile: "/home/u/.aws/credentials",
    configDoc: parseIni(config, "~/.aws/config"),
    credentialsDoc: parseIni(credentials, "~/.aws/credentials"),
  });
}

function fails(fn: () => unknown, code: string): AwsmfaError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AwsmfaError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

test("a role chain resolves to its root, credentials-file keys merged", () => {
  const c = cfg(
    `[profile base]\nmfa_serial = ${MFA}\nregion = eu-west-1\n\n[profile admin]\nrole_arn = ${ROLE}\nsource_profile = base\nduration_seconds = 3600\nsession_tags = team=ops, env=prod\ntransitive_session_tags = team\n`,
    "[base]\naws_access_key_id = AKIAEXAMPLE1234\naws_secret_access_key = s3cret\n",
  );
  const r = resolveProfile(c, "admin");
  assert.deepEqual(
    r.chain.map((p) => p.name),
    ["admin", "base"],
  );
  assert.equal(r.profile.durationSeconds, 3600);
  assert.deepEqual(r.profile.sessionTags, { team: "ops", env: "prod" });
  assert.deepEqual(r.profile.transitiveSessionTags, ["team"]);
  const base = r.chain[1]!;
  assert.equal(base.mfaSerial, MFA);
  assert.equal(base.staticKeys?.accessKeyId, "AKIAEXAMPLE1234");
  assert.deepEqual(base.staticKeys.where, { file: "~/.aws/credentials", line: 2 });
  assert.ok(base.inConfig && base.inCredentials);
  assert.deepEqual(base.location, { file: "~/.aws/config", line: 1 });
});

test("a cycle names every profile visited and where", () => {
  const c = cfg(
    `[profile a]\nrole_arn = ${ROLE}\nsource_profile = b\n\n[profile b]\nrole_arn = ${ROLE}\nsource_profile = c\n\n[profile c]\nrole_arn = ${ROLE}\nsource_profile = a\n`,
  );
  const e = fails(() => resolveProfile(c, "a"), "E_PROFILE_CYCLE");
  assert.equal(e.message, "Profile cycle: a -> b -> c -> a (~/.aws/config:3, :7, :11).");
  assert.ok(e.hint);
});

test("a cycle across both files names each file", () => {
  const c = cfg(
    `[profile a]\nrole_arn = ${ROLE}\nsource_profile = b\n`,
    "[b]\nsource_profile = a\n",
  );
  const e = fails(() => resolveProfile(c, "a"), "E_PROFILE_CYCLE");
  assert.equal(e.message, "Profile cycle: a -> b -> a (~/.aws/config:3, ~/.aws/credentials:2).");
});

test("source_profile naming itself is the root, not a cycle (the AWS CLI's special case)", () => {
  const c = cfg(
    `[profile x]\nrole_arn = ${ROLE}\nsource_profile = x\n`,
    "[x]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n",
  );
  assert.deepEqual(
    resolveProfile(c, "x").chain.map((p) => p.name),
    ["x"],
  );
});

test("a source profile with static keys ends the chain (its own role is not used)", () => {
  const c = cfg(
    `[profile a]\nrole_arn = ${ROLE}\nsource_profile = b\n[profile b]\nrole_arn = ${ROLE}\nsource_profile = c\naws_access_key_id = AKIA\naws_secret_access_key = s\n[profile c]\n`,
  );
  assert.deepEqual(
    resolveProfile(c, "a").chain.map((p) => p.name),
    ["a", "b"],
  );
});

test("include_profile merges in, own keys win, static keys do not travel", () => {
  const c = cfg(
    `[profile common]\nregion = us-east-1\nmfa_serial = ${MFA}\naws_access_key_id = AKIA\naws_secret_access_key = s\n[profile mid]\ninclude_profile = common\nregion = eu-west-1\n[profile top]\ninclude_profile = mid\nrole_arn = ${ROLE}\n`,
  );
  const p = resolveProfile(c, "top").profile;
  assert.equal(p.region, "eu-west-1");
  assert.equal(p.mfaSerial, MFA);
  assert.equal(p.roleArn, ROLE);
  assert.equal(p.staticKeys, undefined);
  assert.deepEqual(p.where["mfa_serial"], { file: "~/.aws/config", line: 3 });
});

test("include_profile cycles and missing profiles are named", () => {
  const c = cfg("[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = a\n");
  assert.equal(
    fails(() => resolveProfile(c, "a"), "E_PROFILE_CYCLE").message,
    "Profile cycle: a -> b -> a (~/.aws/config:2, :4).",
  );
  const m = cfg("[profile a]\nsource_profile = nope\n");
  const e = fails(() => resolveProfile(m, "a"), "E_CONFIG_REFERENCE");
  assert.match(
    e.message,
    /^~\/\.aws\/config:2: source_profile in profile 'a' names profile 'nope'/,
  );
  assert.match(
    fails(
      () => resolveProfile(cfg("[profile a]\ninclude_profile = gone\n"), "a"),
      "E_CONFIG_REFERENCE",
    ).message,
    /:2: include_profile in profile 'a' names profile 'gone'/,
  );
});

test("bad values fail when that profile is used, not when another is", () => {
  const c = cfg(
    `[profile bad]\nmfa_serial = arn:aws:iam::123:mfa/me\n[profile slow]\nduration_seconds = 99999\n[profile worse]\nrole_arn = arn:aws:iam::123456789012:user/x\n[profile good]\nregion = us-east-1\n`,
  );
  assert.equal(resolveProfile(c, "good").profile.region, "us-east-1");
  const e = fails(() => resolveProfile(c, "bad"), "E_CONFIG_VALUE");
  assert.match(
    e.message,
    /^~\/\.aws\/config:2: mfa_serial in profile 'bad' is 'arn:aws:iam::123:mfa\/me', not an MFA device ARN/,
  );
  assert.match(e.hint ?? "", /12-digit/);
  assert.match(
    fails(() => resolveProfile(c, "slow"), "E_CONFIG_VALUE").message,
    /:4: duration_seconds .*outside 900\.\.43200/,
  );
  assert.match(
    fails(() => resolveProfile(c, "worse"), "E_CONFIG_VALUE").message,
    /:6: role_arn .* not an IAM role ARN/,
  );
  // A bad value in a source profile stops the chain that uses it.
  const chained = cfg(
    `[profile a]\nrole_arn = ${ROLE}\nsource_profile = b\n[profile b]\nmfa_serial = nope\n`,
  );
  assert.match(
    fails(() => resolveProfile(chained, "a"), "E_CONFIG_VALUE").message,
    /:5: mfa_serial in profile 'b'/,
  );
});

test("a missing profile says where it looked and what to do", () => {
  const e = fails(() => resolveProfile(cfg(""), "dev"), "E_PROFILE_NOT_FOUND");
  assert.match(e.message, /'dev' is not in ~\/\.aws\/config or ~\/\.aws\/credentials/);
  assert.match(e.hint ?? "", /\[profile dev\]/);
});

test("regression (#9 item 6): a missing profile names the nearest ones, from the files and the store", () => {
  const c = cfg("[profile staging]\n[profile prod]\n", "[dev]\n");
  const typo = fails(() => resolveProfile(c, "stagign"), "E_PROFILE_NOT_FOUND");
  assert.match(typo.hint ?? "", /^Did you mean 'staging'\? Otherwise add \[profile stagign\]/);
  assert.match(fails(() => resolveProfile(c, "dve"), "E_PROFILE_NOT_FOUND").hint ?? "", /'dev'/);
  const stored = fails(
    () => resolveProfile(c, "wrok", { storedKeys: new Set(["work"]) }),
    "E_PROFILE_NOT_FOUND",
  );
  assert.match(stored.hint ?? "", /^Did you mean 'work'\?/);
  const far = fails(() => resolveProfile(c, "zzzzzz"), "E_PROFILE_NOT_FOUND");
  assert.match(far.hint ?? "", /^Add \[profile zzzzzz\]/);
});

test("services and sso-session sections are read and references checked", () => {
  const c = cfg(
    "[profile a]\nservices = local\nsso_session = corp\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:5000\n[sso-session corp]\nsso_region = us-east-1\n[profile b]\nservices = nope\n",
  );
  assert.deepEqual(c.services.get("local"), { sts: { endpoint_url: "http://127.0.0.1:5000" } });
  assert.deepEqual(c.ssoSessions?.get("corp"), { sso_region: "us-east-1" });
  assert.equal(resolveProfile(c, "a").profile.services, "local");
  fails(() => resolveProfile(c, "b"), "E_CONFIG_REFERENCE");
});

test("diagnostics report duplicates, ignored sections and CLI/SDK differences", () => {
  const c = cfg(
    "[default]\nregion = a\n[profile default]\nregion = b\n[profile x]\nRegion = y\nregion = z # note\nregion = w\n[profile x]\nk = 1\n[x]\nk = 2\n[profile my profile]\nk = 3\n",
    "[profile y]\naws_access_key_id = AKIA\n",
  );
  const codes = c.diagnostics().map((d) => `${d.code}@${d.where.file}:${d.where.line}`);
  assert.deepEqual(
    codes.sort(),
    [
      "W_CREDENTIALS_PREFIX@~/.aws/credentials:1",
      "W_DEFAULT_TWICE@~/.aws/config:3",
      "W_DUPLICATE_KEY@~/.aws/config:8",
      "W_DUPLICATE_SECTION@~/.aws/config:9",
      "W_INLINE_COMMENT@~/.aws/config:7",
      "W_KEY_CASE@~/.aws/config:6",
      "W_PARTIAL_STATIC_KEYS@~/.aws/credentials:2",
      "W_SECTION_IGNORED@~/.aws/config:11",
      "W_SECTION_IGNORED@~/.aws/config:13",
    ].sort(),
  );
  for (const d of c.diagnostics()) {
    assert.match(d.message, /^~\/\.aws\/(config|credentials):\d+: /);
    assert.ok(d.hint);
  }
  assert.equal(c.profiles.get("default")?.region, "b");
  assert.equal(c.profiles.get("x")?.region, "w");
  assert.equal(c.profiles.get("x")?.raw["k"], "1");
  assert.ok(c.profiles.has("profile.y"), "as the SDK names it");
});

test("an empty [profile x] is still a profile (keys may be in the store)", () => {
  const c = cfg("[profile x]\n");
  assert.deepEqual(resolveProfile(c, "x").profile.raw, {});
  assert.equal(resolveProfile(c, "x").profile.inConfig, true);
});
