/**
 * `awsmfa migrate` through the built bin, and the promise it makes: the AWS
 * CLI (and boto3) keep working for the migrated profile, now through the
 * credential_process line, against fake-aws.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { runProcess } from "../helpers/sandbox.ts";
import {
  ALICE,
  ALICE_ARN,
  BOB,
  READONLY_ROLE,
  field,
  skipLoudly,
  startWorld,
  type World,
} from "../cli/helpers.ts";

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
const AWS_CLI = has("aws", ["--version"]);
const AWS_CLI_V2 =
  has("/usr/bin/aws", ["--version"]) &&
  /aws-cli\/2\./.test(spawnSync("/usr/bin/aws", ["--version"], { encoding: "utf8" }).stdout);
const BOTO3 = has("python3", ["-c", "import boto3"]);

const BOB_ARN = "arn:aws:iam::111111111111:user/bob";

const keys = (k: { accessKeyId: string; secretAccessKey: string }) =>
  `aws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n`;

void describe("awsmfa migrate (CLI)", () => {
  let w: World;
  before(async () => {
    w = await startWorld();
  });
  after(async () => {
    await w.stop();
  });

  it("the AWS CLI and boto3 still work for the profile after its keys leave the file", async (t) => {
    await w.sb.writeCredentials(
      `# mine\n[default]\n${keys(ALICE)}\n[dev]\n${keys(ALICE)}region = us-east-1\n`,
    );
    // ro takes dev as its source: the chain must survive dev's keys moving.
    const roleProfile = `[profile ro]\nrole_arn = ${READONLY_ROLE}\nsource_profile = dev\n`;
    await w.sb.writeConfig(`[default]\noutput = json\n\n${roleProfile}`);
    const r = await w.sb.run(["migrate"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /default +migrated +\*\*\*\*0001 from ~\/.aws\/credentials:3 into the file store/,
    );
    assert.match(r.stderr, /2 migrated\./);
    for (const secret of [ALICE.secretAccessKey, ALICE.accessKeyId])
      assert.ok(!r.stderr.includes(secret));
    const credentials = await readFile(w.sb.credentialsFile, "utf8");
    assert.equal(credentials, "# mine\n[default]\n\n[dev]\nregion = us-east-1\n");
    const config = await readFile(w.sb.configFile, "utf8");
    assert.equal(
      config,
      "[default]\noutput = json\ncredential_process = awsmfa export --no-session --format credential-process default\n\n" +
        roleProfile +
        "\n" +
        "[profile dev]\ncredential_process = awsmfa export --no-session --format credential-process dev\n",
    );
    const backups = (await readdir(`${w.sb.home}/.aws`)).filter((n) =>
      n.includes(".awsmfa-backup-"),
    );
    assert.equal(backups.length, 2);

    if (!AWS_CLI)
      skipLoudly(t, "AWS CLI not installed: the migrated profile was not checked with it");
    else {
      for (const profile of ["dev", "default"]) {
        const aws = await runProcess(
          "aws",
          [
            "sts",
            "get-caller-identity",
            "--profile",
            profile,
            "--query",
            "Arn",
            "--output",
            "text",
          ],
          w.sb.env,
        );
        assert.equal(aws.code, 0, aws.stderr);
        assert.equal(aws.stdout.trim(), ALICE_ARN);
      }
      const ro = await runProcess(
        "aws",
        ["sts", "get-caller-identity", "--profile", "ro", "--query", "Arn", "--output", "text"],
        w.sb.env,
      );
      assert.equal(ro.code, 0, ro.stderr);
      assert.match(ro.stdout.trim(), /^arn:aws:sts::111111111111:assumed-role\/readonly\//);
    }
    // AWS CLI v2 (Debian's awscli) runs credential_process its own way; it needs --endpoint-url.
    if (!AWS_CLI_V2) {
      process.stderr.write(
        "\n!!! AWS CLI v2 (/usr/bin/aws) not installed: the migrated profile was not checked with it\n",
      );
    } else {
      const v2 = await runProcess(
        "/usr/bin/aws",
        [
          "sts",
          "get-caller-identity",
          "--profile",
          "dev",
          "--endpoint-url",
          w.aws.url,
          "--query",
          "Arn",
          "--output",
          "text",
        ],
        w.sb.env,
      );
      assert.equal(v2.code, 0, v2.stderr);
      assert.equal(v2.stdout.trim(), ALICE_ARN);
    }
    if (!BOTO3) {
      process.stderr.write(
        "\n!!! boto3 not installed: the migrated profile was not checked with it\n",
      );
      return;
    }
    const py = await runProcess(
      "python3",
      [
        "-c",
        "import boto3; print(boto3.Session(profile_name='dev').client('sts').get_caller_identity()['Arn'])",
      ],
      w.sb.env,
    );
    assert.equal(py.code, 0, py.stderr);
    assert.equal(py.stdout.trim(), ALICE_ARN);
  });

  it("--dry-run prints a redacted diff on stdout and changes nothing", async () => {
    const credentials = `[dry]\n${keys(BOB)}`;
    await w.sb.writeCredentials(credentials);
    await w.sb.writeConfig("");
    const r = await w.sb.run(["migrate", "--dry-run", "--profile", "dry"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^-aws_secret_access_key = \*\*\*\*$/m);
    assert.match(
      r.stdout,
      /^\+credential_process = awsmfa export --no-session --format credential-process dry$/m,
    );
    assert.match(
      r.stderr,
      /Dry run: nothing was changed\.\n {2}dry {2}would migrate {2}\*\*\*\*0001/,
    );
    for (const secret of [BOB.secretAccessKey, BOB.accessKeyId]) {
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
    }
    assert.equal(await readFile(w.sb.credentialsFile, "utf8"), credentials);
    assert.equal(await readFile(w.sb.configFile, "utf8"), "");
  });

  it("exits 1 when a profile is refused, and says why", async () => {
    await w.sb.writeCredentials(`[role]\n${keys(BOB)}`);
    await w.sb.writeConfig(
      "[profile role]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = role\n",
    );
    const r = await w.sb.run(["migrate"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /role +refused +\*\*\*\*0001: it has role_arn \(~\/.aws\/config:2\)/);
    assert.equal(await readFile(w.sb.credentialsFile, "utf8"), `[role]\n${keys(BOB)}`);
  });

  it("refuses to start when the AWS tools could not find awsmfa on PATH", async () => {
    const credentials = `[nopath]\n${keys(BOB)}`;
    await w.sb.writeCredentials(credentials);
    const r = await w.sb.run(["migrate"], { env: { PATH: "/usr/bin:/bin" } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /'awsmfa' is not on PATH.*nothing was changed/);
    assert.match(r.stderr, /hint: Install awsmfa/);
    assert.equal(await readFile(w.sb.credentialsFile, "utf8"), credentials);
  });

  it("repeats a --backend given as a flag in the credential_process line", async () => {
    await w.sb.writeCredentials(`[flag]\n${keys(BOB)}`);
    await w.sb.writeConfig("");
    const r = await w.sb.run(["--backend", "file", "migrate", "--dry-run"], {
      env: { AWSMFA_BACKEND: undefined },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^\+credential_process = awsmfa --backend file export --no-session --format credential-process flag$/m,
    );
  });

  it("regression (#9 item 14): a profile botocore resolves before migrate still resolves after, for settings botocore ignores on a key-only profile", async (t) => {
    if (!BOTO3) {
      skipLoudly(t, "boto3 not installed: botocore could not be asked before and after");
      return;
    }
    // Settings botocore ignores on a profile that has its own keys, and that
    // awsmfa checked once the profile pointed at it: 'migrated' was printed,
    // then the credential_process it wrote failed.
    const shapes: Record<string, string> = {
      "shape-duration": "duration_seconds = 60",
      "shape-external-id": "external_id = a b",
      "shape-endpoint": "endpoint_url = not a url",
      "shape-source": "source_profile = no-such-profile",
      "shape-include": "include_profile = no-such-profile",
      "shape-services": "services = no-such-services",
      "shape-session-name": "role_session_name = a#b",
    };
    const names = Object.keys(shapes);
    await w.sb.writeCredentials(names.map((n) => `[${n}]\n${keys(BOB)}`).join("\n"));
    await w.sb.writeConfig(
      Object.entries(shapes)
        .map(([n, line]) => `[profile ${n}]\n${line}\n`)
        .join("\n"),
    );
    // What botocore (the AWS CLI v1 and boto3) makes of each profile: its
    // caller ARN, or the error's class.
    const botocore = async () => {
      const py = await runProcess(
        "python3",
        [
          "-c",
          `import json, sys, botocore.session
out = {}
for name in sys.argv[1:]:
    try:
        c = botocore.session.Session(profile=name).create_client("sts", region_name="us-east-1")
        out[name] = c.get_caller_identity()["Arn"]
    except Exception as e:
        out[name] = type(e).__name__
print(json.dumps(out))`,
          ...names,
        ],
        w.sb.env,
      );
      assert.equal(py.code, 0, py.stderr);
      const v: unknown = JSON.parse(py.stdout);
      return v;
    };
    const before = await botocore();
    for (const n of names) assert.equal(field(before, n), BOB_ARN, `botocore before, ${n}`);
    const r = await w.sb.run(["migrate", ...names.flatMap((n) => ["--profile", n])]);
    const after = await botocore();
    assert.deepEqual(after, before, r.stderr);
    // Not silently: each profile left alone says why, naming the setting.
    assert.equal(r.code, 1, r.stderr);
    for (const [n, line] of Object.entries(shapes)) {
      const key = line.split(" = ")[0] ?? "";
      assert.match(
        r.stderr,
        new RegExp(`${n} +refused .*awsmfa could not use the profile once migrated.*${key}`),
        `${n}: ${r.stderr}`,
      );
    }
    assert.doesNotMatch(r.stderr, / migrated /);
  });

  it("rejects arguments it does not take", async () => {
    const r = await w.sb.run(["migrate", "dev"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /migrate: unexpected argument 'dev'/);
  });
});
