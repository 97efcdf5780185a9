// Seed 002's `source awsenv user-profile CODE` and seed 001's `mfa.sh` (a new
// shell with the session's credentials), done with awsmfa: real shells eval
// the export output, then the AWS CLI in that shell is the MFA session.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runProcess } from "../helpers/sandbox.ts";
import { ALICE_MFA, field, skipLoudly, startWorld, type World } from "../cli/helpers.ts";

const ALICE_ARN = "arn:aws:iam::111111111111:user/alice";

let w: World;
/** The session's keys, as `export --format json` prints them (from the cache). */
let session: { key: string; token: string };
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(`[profile user-profile]
region = ap-southeast-2
mfa_serial = ${ALICE_MFA}
`);
  await w.addAlice("user-profile");
  // The first eval types the code (seed 002: `source awsenv user-profile <MFA number>`);
  // later shells reuse the cached session without one.
  const first = await runProcess(
    "bash",
    ["-c", `eval "$(awsmfa export user-profile -t ${w.code()})" && printf '%s' "$AWS_REGION"`],
    w.sb.env,
  );
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, "ap-southeast-2");
  const json = await w.sb.run(["export", "user-profile", "--format", "json"]);
  assert.equal(json.code, 0, json.stderr);
  const parsed: unknown = JSON.parse(json.stdout);
  session = {
    key: String(field(parsed, "AccessKeyId")),
    token: String(field(parsed, "SessionToken")),
  };
  assert.match(session.key, /^ASIA/);
});
after(() => w.stop());

/** Prints the credentials the shell now has, then who the AWS CLI says it is. */
const SHOW_POSIX = `printf '%s\\n%s\\n' "$AWS_ACCESS_KEY_ID" "$AWS_SESSION_TOKEN"; aws sts get-caller-identity --query Arn --output text`;

interface ShellCase {
  readonly shell: string;
  readonly args: (show: string) => string[];
  readonly show: string;
}

const SHELLS: readonly ShellCase[] = [
  {
    shell: "bash",
    args: (show) => ["-c", `eval "$(awsmfa export user-profile)" && ${show}`],
    show: SHOW_POSIX,
  },
  {
    shell: "zsh",
    args: (show) => ["-f", "-c", `eval "$(awsmfa export user-profile)" && ${show}`],
    show: SHOW_POSIX,
  },
  {
    shell: "fish",
    args: (show) => [
      "--no-config",
      "-c",
      `awsmfa export user-profile --format fish | source; ${show}`,
    ],
    show: `printf '%s\\n%s\\n' "$AWS_ACCESS_KEY_ID" "$AWS_SESSION_TOKEN"; aws sts get-caller-identity --query Arn --output text`,
  },
  {
    shell: "pwsh",
    args: (show) => [
      "-NoProfile",
      "-NonInteractive",
      "-Command",
      `Invoke-Expression ((awsmfa export user-profile --format powershell) -join [Environment]::NewLine); ${show}`,
    ],
    show: `Write-Output $env:AWS_ACCESS_KEY_ID; Write-Output $env:AWS_SESSION_TOKEN; aws sts get-caller-identity --query Arn --output text`,
  },
];

describe("export, evaluated by real shells", () => {
  for (const c of SHELLS) {
    it(`${c.shell}: the shell gets the session's credentials and the AWS CLI in it is alice with MFA`, async (t) => {
      if (spawnSync("sh", ["-c", `command -v ${c.shell}`]).status !== 0) {
        skipLoudly(t, `${c.shell} not installed: cannot check its export format end to end`);
        return;
      }
      const r = await runProcess(c.shell, c.args(c.show), w.sb.env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${session.key}\n${session.token}\n${ALICE_ARN}\n`);
    });
  }
});

it("exec without a command starts $SHELL with the credentials, and says which profile and when they expire", async () => {
  const shell = join(w.sb.home, "bin", "show-env");
  await writeFile(shell, "#!/bin/sh\nenv | grep -E '^(AWS_|AWSMFA_)' | sort\n");
  await chmod(shell, 0o755);
  const r = await w.sb.run(["exec", "user-profile"], {
    env: { SHELL: shell, AWS_PROFILE: "stale", AWS_SECURITY_TOKEN: "stale" },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `^awsmfa: starting ${shell} with credentials for profile user-profile; they expire in \\d+(h|m)[\\dhm]* \\(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)\\. Type 'exit' to leave\\.\\n$`,
    ),
  );
  const vars = new Map(
    r.stdout
      .trim()
      .split("\n")
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  assert.equal(vars.get("AWS_ACCESS_KEY_ID"), session.key);
  assert.equal(vars.get("AWS_SESSION_TOKEN"), session.token);
  assert.equal(vars.get("AWSMFA_PROFILE"), "user-profile");
  assert.equal(vars.get("AWS_REGION"), "ap-southeast-2");
  assert.equal(vars.has("AWS_PROFILE"), false);
  assert.equal(vars.has("AWS_SECURITY_TOKEN"), false);
});
