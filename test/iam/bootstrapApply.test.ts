// The end-to-end proof on fake-aws: dave, with only self-service
// rights, enrols a device from a tmux pane; alice (an administrator) runs
// `bootstrap --apply` (dry run first, then for real, then again: nothing to
// do); the role profile it adds lets dave `awsmfa exec` into the MFA-only
// role, and the same role without MFA is denied to the AWS CLI.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { ALICE, skipLoudly, startWorld, type World } from "../cli/helpers.ts";
import { BIN, runProcess } from "../helpers/sandbox.ts";
import { hasTmux, startInTmux } from "./tmux.ts";

const DAVE = {
  accessKeyId: "AKIAFAKEDAVE00000001",
  secretAccessKey: "fake/dave/secret/key/not/real/0000000001",
};
const DAVE_MFA = "arn:aws:iam::111111111111:mfa/dave";
const ROLE = "arn:aws:iam::111111111111:role/mfa-admin";
const CONFIG = `# team config
[profile alice]
region = us-east-1

[profile dave]
region = us-east-1
`;
const APPLY = [
  "bootstrap",
  "--apply",
  "alice",
  "--add-user",
  "dave",
  "--source-profile",
  "dave",
  "--config-profile",
  "dave-admin",
];
/** IAM calls that change something. */
const WRITES = /^(Create|Attach|Add|Put|Update|Delete)/;

let w: World;
let dir: string;
before(async () => {
  w = await startWorld();
  dir = await mkdtemp(join(tmpdir(), "awsmfa-apply-"));
  await w.sb.writeConfig(CONFIG);
  for (const [profile, keys] of [
    ["alice", ALICE],
    ["dave", DAVE],
  ] as const) {
    const r = await w.sb.run(["add", profile, "--env", "--force"], {
      env: { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
    });
    assert.equal(r.code, 0, r.stderr);
  }
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await w.stop();
});

it("dave enrols, bootstrap --apply makes the role (dry run, apply, no-op rerun), exec assumes it with MFA only", async (t) => {
  if (!hasTmux) {
    skipLoudly(t, "tmux not installed: cannot enrol dave's device from a terminal");
    return;
  }
  // 1. dave enrols from a terminal.
  const pane = await startInTmux({
    dir,
    argv: [process.execPath, BIN, "mfa", "enroll", "dave"],
    env: w.sb.env,
    columns: 100,
    rows: 70,
  });
  try {
    await pane.waitFor("First code:");
    const now = w.clock.now();
    await pane.type(w.aws.totp(DAVE_MFA, now - 30_000));
    await pane.waitFor("Next code");
    await pane.type(w.aws.totp(DAVE_MFA, now));
    const enrolled = await pane.exit();
    assert.equal(enrolled.status, 0, enrolled.stderr);
  } finally {
    await pane.kill();
  }
  const enrolledConfig = await readFile(w.sb.configFile, "utf8");
  assert.match(
    enrolledConfig,
    /\[profile dave\]\nregion = us-east-1\nmfa_serial = arn:aws:iam::111111111111:mfa\/dave\n/,
  );

  // 2. The dry run says what it would do and does nothing.
  w.aws.clearCalls();
  const dry = await w.sb.run([...APPLY, "--dry-run"]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(dry.stdout.trim().split("\n"), [
    "would create role mfa-admin (assumable only with MFA)",
    "would attach arn:aws:iam::aws:policy/AdministratorAccess to role mfa-admin",
    "would create policy mfa-users-assume-mfa-admin",
    "would create policy mfa-users-force-mfa",
    "would create group mfa-users",
    "would attach arn:aws:iam::111111111111:policy/mfa-users-assume-mfa-admin to group mfa-users",
    "would attach arn:aws:iam::111111111111:policy/mfa-users-force-mfa to group mfa-users",
    "would add user dave to group mfa-users",
    `would set role_arn = ${ROLE} in [profile dave-admin] of ~/.aws/config`,
    "would set source_profile = dave in [profile dave-admin] of ~/.aws/config",
    `would set mfa_serial = ${DAVE_MFA} in [profile dave-admin] of ~/.aws/config`,
  ]);
  assert.deepEqual(
    w.aws.calls().filter((c) => WRITES.test(c.action)),
    [],
  );
  assert.equal(w.aws.state.roles.has(ROLE), false);
  assert.equal(await readFile(w.sb.configFile, "utf8"), enrolledConfig);

  // 3. Apply: the resources, and the role profile appended, nothing else touched.
  const applied = await w.sb.run(APPLY);
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(applied.stdout.trim().split("\n").length, 11);
  assert.equal(w.aws.state.roles.get(ROLE)?.world.trust.requireMfa, true);
  assert.equal(
    await readFile(w.sb.configFile, "utf8"),
    `${enrolledConfig}\n[profile dave-admin]\nrole_arn = ${ROLE}\nsource_profile = dave\nmfa_serial = ${DAVE_MFA}\n`,
  );
  const afterApply = await readFile(w.sb.configFile, "utf8");

  // 4. Again: nothing to do, no IAM write, the file as it was.
  w.aws.clearCalls();
  const again = await w.sb.run(APPLY);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, "");
  assert.match(
    again.stderr,
    /everything is in place \(role arn:aws:iam::111111111111:role\/mfa-admin\); nothing changed/,
  );
  assert.deepEqual(
    w.aws
      .calls()
      .filter((c) => WRITES.test(c.action))
      .map((c) => c.action),
    [],
  );
  assert.equal(await readFile(w.sb.configFile, "utf8"), afterApply);

  // 5. dave assumes the role with MFA through the new profile...
  w.clock.advance(30_000);
  const exec = await w.sb.run([
    "exec",
    "dave-admin",
    "-t",
    w.code(DAVE_MFA),
    "--",
    "aws",
    "sts",
    "get-caller-identity",
    "--query",
    "Arn",
    "--output",
    "text",
  ]);
  assert.equal(exec.code, 0, exec.stderr);
  assert.match(exec.stdout, /^arn:aws:sts::111111111111:assumed-role\/mfa-admin\/\S+\n$/);

  // 6. ...and the same role without MFA is denied (AWS CLI v1, dave's long-term keys).
  const env: Record<string, string> = {
    ...w.sb.env,
    AWS_ACCESS_KEY_ID: DAVE.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DAVE.secretAccessKey,
  };
  const noMfa = await runProcess(
    "aws",
    ["sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "no-mfa"],
    env,
  );
  assert.notEqual(noMfa.code, 0);
  assert.match(noMfa.stderr, /AccessDenied/);
});

it("a role of the same name with another maximum session: reported, nothing changed", async () => {
  // The role from the test above exists; ask for a shorter maximum session.
  const before = await readFile(w.sb.configFile, "utf8");
  w.aws.clearCalls();
  const r = await w.sb.run([...APPLY, "--max-session", "1h"]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /role mfa-admin exists with a maximum session of 43200 s, not 3600 s\. Nothing was changed\./,
  );
  assert.match(r.stderr, /hint: Pick other names/);
  assert.deepEqual(
    w.aws.calls().filter((c) => WRITES.test(c.action)),
    [],
  );
  assert.equal(await readFile(w.sb.configFile, "utf8"), before);
});
