/**
 * `awsmfa write` prints advice (`export AWS_PROFILE=NAME`); the AWS CLI v1
 * and v2 must then work with exactly that, in a shell with no region in its
 * environment. Both CLIs are run against fake-aws.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { parseIni } from "../../src/config/IniDocument.ts";
import { AWS_V2, whyMissing, whyNoAwsV2 } from "../helpers/awsClients.ts";
import { runProcess, type RunResult } from "../helpers/sandbox.ts";
import {
  ADMIN_ROLE,
  ALICE_MFA,
  READONLY_ROLE,
  field,
  skipLoudly,
  startWorld,
  type World,
} from "../cli/helpers.ts";

const CONFIG = `[profile alice]
region = ap-southeast-2
mfa_serial = ${ALICE_MFA}

[profile admin]
role_arn = ${ADMIN_ROLE}
source_profile = alice

[profile base]

[profile ro]
role_arn = ${READONLY_ROLE}
source_profile = base
`;

/** No region from the environment: it must come from the files. */
const NO_REGION = { AWS_DEFAULT_REGION: undefined, AWS_REGION: undefined } as const;

let w: World;
before(async () => {
  w = await startWorld();
  await w.sb.writeConfig(CONFIG);
  await w.addAlice("alice");
  await w.addAlice("base");
});
after(() => w.stop());

const section = async (name: string) =>
  parseIni(await readFile(w.sb.credentialsFile, "utf8"), "c").getSection(name);

/** The environment a user's shell has: the sandbox's, without any region. */
function shellEnv(): Record<string, string> {
  const env = { ...w.sb.env };
  delete env.AWS_DEFAULT_REGION;
  delete env.AWS_REGION;
  return env;
}

/** The `export AWS_PROFILE=...` line of write's advice, verbatim. */
function advice(r: RunResult): string {
  const m = /\nUse them with:\n {2}(export AWS_PROFILE=\S+)\n/.exec(r.stderr);
  assert.ok(m?.[1] !== undefined, `advice in: ${r.stderr}`);
  return m[1];
}

type Cli = "v1" | "v2";
const CLIS: readonly Cli[] = ["v1", "v2"];

/** Why a CLI cannot run here, or undefined. */
function missing(cli: Cli): Promise<string | undefined> {
  return cli === "v1" ? whyMissing("aws", ["--version"], shellEnv()) : whyNoAwsV2(shellEnv());
}

/** `bash -c '<advice>; aws ...'`: v1 honours AWS_ENDPOINT_URL_STS, v2 gets --endpoint-url. */
function inShell(cli: Cli, line: string, awsArgs: string): Promise<RunResult> {
  const aws = cli === "v1" ? "aws" : `${AWS_V2} --endpoint-url ${w.aws.url}`;
  return runProcess("bash", ["-c", `set -e; ${line}; ${aws} ${awsArgs}`], shellEnv());
}

async function expectCliWorks(cli: Cli, line: string, role: RegExp, region: string) {
  const who = await inShell(cli, line, "sts get-caller-identity");
  assert.equal(who.code, 0, `${cli} after '${line}': ${who.stderr}`);
  assert.match(String(field(JSON.parse(who.stdout), "Arn")), role);
  const reg = await inShell(cli, line, "configure get region");
  assert.equal(reg.stdout.trim(), region, `${cli} region after '${line}': ${reg.stderr}`);
}

describe('regression (#9 item 3): write made profiles the AWS CLI could not use ("You must specify a region")', () => {
  for (const cli of CLIS) {
    it(`AWS CLI ${cli} works with the printed advice verbatim; the region is the profile's, or --region`, async (t) => {
      const why = await missing(cli);
      if (why !== undefined) {
        skipLoudly(t, `AWS CLI ${cli} not installed: ${why}`);
        return;
      }
      const name = `some-profile-${cli}`;
      const r = await w.sb.run(["write", "admin", "-t", w.code(), "--to", name], {
        env: NO_REGION,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(advice(r), `export AWS_PROFILE=${name}`);
      await expectCliWorks(cli, advice(r), /assumed-role\/admin\//, "ap-southeast-2");
      assert.equal((await section(name))?.get("region"), "ap-southeast-2");

      // --region was accepted and ignored; now it is what gets written.
      const ro = await w.sb.run(["write", "ro", "--region", "eu-north-1", "--to", `ro-${cli}`], {
        env: NO_REGION,
      });
      assert.equal(ro.code, 0, ro.stderr);
      await expectCliWorks(cli, advice(ro), /assumed-role\/readonly\//, "eu-north-1");
      assert.equal((await section(`ro-${cli}`))?.get("region"), "eu-north-1");
    });
  }

  it("a config profile that only adds settings to a written section: the next write refreshes it without --force, and the config's region wins", async () => {
    const name = "settings-profile";
    const first = await w.sb.run(["write", "ro", "--region", "eu-north-1", "--to", name], {
      env: NO_REGION,
    });
    assert.equal(first.code, 0, first.stderr);
    const keyBefore = (await section(name))?.get("aws_access_key_id");
    await w.sb.writeConfig(
      `${CONFIG}\n[profile ${name}]\nregion = sa-east-1\noutput = json\ncli_pager =\n`,
    );
    await w.sb.run(["clear"]);
    const again = await w.sb.run(["write", "ro", "--region", "eu-north-1", "--to", name], {
      env: NO_REGION,
    });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^awsmfa: Replaced \[settings-profile\]/);
    assert.match(
      again.stderr,
      /\nNot written: --region eu-north-1; ~\/\.aws\/config:\d+ sets region = sa-east-1 for \[profile settings-profile\], and the AWS CLI uses that\.\n/,
    );
    const s = await section(name);
    assert.notEqual(s?.get("aws_access_key_id"), keyBefore, "the keys were refreshed");
    // The credentials file's region would override the config's in the AWS CLI.
    assert.equal(s?.get("region"), undefined);
    if ((await missing("v1")) === undefined) {
      await expectCliWorks("v1", advice(again), /assumed-role\/readonly\//, "sa-east-1");
    }

    // A config profile that decides where credentials come from is still someone else's.
    await w.sb.writeConfig(`${CONFIG}\n[profile ${name}]\nrole_arn = ${READONLY_ROLE}\n`);
    const refused = await w.sb.run(["write", "ro", "--to", name], { env: NO_REGION });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /\[settings-profile\] is also a profile in the config file/);
    await w.sb.writeConfig(CONFIG);
  });

  it("with no region anywhere, write says so instead of leaving the AWS CLI to fail later", async () => {
    const r = await w.sb.run(["write", "ro", "--to", "no-region"], { env: NO_REGION });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /\nNo region is known for profile ro, so none was written; the AWS CLI will ask for one\.\n {2}hint: Pass --region REGION, or set region in \[profile ro\]\.\n/,
    );
    assert.equal((await section("no-region"))?.get("region"), undefined);
  });
});
