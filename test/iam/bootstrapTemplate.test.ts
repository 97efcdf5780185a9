// `awsmfa bootstrap --template` is valid CloudFormation that makes what it
// says: deployed with `aws cloudformation deploy` (AWS CLI v1) into moto's
// server, then read back with boto3. moto 5's CloudFormation lacks
// AWS::IAM::Group, a role's ManagedPolicyArns and change-set stack outputs;
// moto_server.py adds those three through moto's own backends (see there).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { forceMfaPolicy } from "../../src/iam/forceMfaPolicy.ts";
import { bootstrapTemplate } from "../../src/iam/bootstrapTemplate.ts";
import { toYaml } from "../../src/iam/toYaml.ts";
import { missingClient, run } from "../fake-aws/helpers.ts";
import { skipLoudly } from "../cli/helpers.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

const MOTO_SERVER = join(import.meta.dirname, "moto_server.py");
const CHECK = join(import.meta.dirname, "bootstrap_check.py");
/** moto's default account. */
const ACCOUNT = "123456789012";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a !== null ? a.port : 0;
      s.close(() => {
        resolve(port);
      });
    });
    s.on("error", reject);
  });
}

async function printTemplate(args: readonly string[]) {
  const sb = await makeSandbox();
  try {
    return await sb.run(["bootstrap", ...args]);
  } finally {
    await sb.cleanup();
  }
}

describe("bootstrap --template, deployed into moto", () => {
  it("aws cloudformation deploy creates the role, group, policies and trust condition as written", async (t) => {
    const why =
      (await missingClient("python3", ["-c", "import moto.server, boto3"])) ??
      (await missingClient("aws", ["--version"]));
    if (why !== undefined) {
      skipLoudly(t, `moto, boto3 or the AWS CLI v1 missing, cannot deploy the template: ${why}`);
      return;
    }
    const printed = await printTemplate([
      "--template",
      "--role-name",
      "Admin-MFA",
      "--group-name",
      "developers",
      "--max-session",
      "2h",
      "--policy-arn",
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stderr, "");

    const home = await mkdtemp(join(tmpdir(), "awsmfa-bootstrap-"));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      AWS_CONFIG_FILE: join(home, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_DEFAULT_REGION: "us-east-1",
      MOTO_IAM_LOAD_MANAGED_POLICIES: "true",
      ...(process.env.PYENV_ROOT !== undefined ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
    };
    let motoErr = "";
    const moto = spawn("python3", [MOTO_SERVER, "-H", "127.0.0.1", "-p", String(port)], {
      stdio: ["ignore", "ignore", "pipe"],
      env,
    });
    moto.stderr.on("data", (d: Buffer) => (motoErr = (motoErr + d.toString()).slice(-4000)));
    try {
      // Bounded: a moto that never listens fails the test after ~60 s.
      for (let i = 0; ; i++) {
        try {
          await fetch(`${url}/moto-api/`);
          break;
        } catch (e) {
          if (i > 600 || moto.exitCode !== null)
            throw new Error(`moto did not start: ${motoErr}`, { cause: e });
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const file = join(home, "awsmfa-bootstrap.yaml");
      await writeFile(file, printed.stdout);
      const deploy = await run(
        "aws",
        [
          "cloudformation",
          "deploy",
          "--template-file",
          file,
          "--stack-name",
          "awsmfa-bootstrap",
          "--capabilities",
          "CAPABILITY_NAMED_IAM",
          "--endpoint-url",
          url,
        ],
        { env },
      );
      assert.equal(deploy.status, 0, `${deploy.stderr}\nmoto: ${motoErr}`);
      assert.match(deploy.stdout, /Successfully created\/updated stack - awsmfa-bootstrap/);

      const check = await run("python3", [CHECK], {
        env,
        input: JSON.stringify({
          url,
          stack: "awsmfa-bootstrap",
          role: "Admin-MFA",
          group: "developers",
        }),
      });
      assert.equal(check.status, 0, check.stderr);
      const roleArn = `arn:aws:iam::${ACCOUNT}:role/Admin-MFA`;
      assert.deepEqual(JSON.parse(check.stdout), {
        role: {
          Arn: roleArn,
          MaxSessionDuration: 7200,
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: "sts:AssumeRole",
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
              },
            ],
          },
          AttachedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        },
        group: { GroupName: "developers", Arn: `arn:aws:iam::${ACCOUNT}:group/developers` },
        groupPolicies: {
          "developers-assume-Admin-MFA": {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "AssumeMfaRole",
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Resource: roleArn,
              },
            ],
          },
          // Exactly what `awsmfa policy force-mfa` prints.
          "developers-force-mfa": JSON.parse(JSON.stringify(forceMfaPolicy())) as unknown,
        },
        stackStatus: "CREATE_COMPLETE",
        outputs: { RoleArn: roleArn, GroupName: "developers" },
      });
    } finally {
      moto.kill("SIGTERM");
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe("the template's YAML", () => {
  it("reads back (PyYAML) as exactly the template's data, awkward strings included", async (t) => {
    const why = await missingClient("python3", ["-c", "import yaml"]);
    if (why !== undefined) {
      skipLoudly(t, `PyYAML missing, cannot read the YAML back: ${why}`);
      return;
    }
    const data = {
      template: bootstrapTemplate({
        roleName: "r",
        groupName: "g",
        maxSessionSeconds: 3600,
        rolePolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
      }),
      awkward: ["true", "012", "a: b", "# no comment", "", "- x", 'ünï\ncode\t"q"', "null", "~"],
      nested: [[1, [2]], { "key with: colon": { "": false } }, [], {}, null, 1.5],
    };
    const r = await run(
      "python3",
      ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin.read()), sys.stdout)"],
      { env: process.env, input: toYaml(data) },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(data)));
  });
});

describe("bootstrap: bad input", () => {
  const cases: readonly [string, readonly string[], RegExp][] = [
    ["no mode", [], /bootstrap: say what to do: --template/],
    [
      "--dry-run without --apply",
      ["--template", "--dry-run"],
      /bootstrap: --dry-run goes with --apply/,
    ],
    ["--apply without a profile", ["--apply"], /bootstrap --apply: whose keys\?/],
    [
      "a role maximum over 12 h",
      ["--template", "--max-session", "13h"],
      /--max-session: 46800 seconds is outside 3600\.\.43200/,
    ],
    [
      "a role name IAM refuses",
      ["--template", "--role-name", "my role"],
      /--role-name 'my role' is not a valid IAM role name/,
    ],
    [
      "a policy ARN that is not one",
      ["--template", "--policy-arn", "AdministratorAccess"],
      /--policy-arn 'AdministratorAccess' is not a managed policy ARN/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: one message, exit 2, nothing on stdout`, async () => {
      const r = await printTemplate(args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, message);
      assert.match(r.stderr, /hint: /);
    });
  }
});
