// `awsmfa policy force-mfa` against the policy seed 002 tells people to paste:
// both attached (beside AdministratorAccess) to users of a fake-aws world,
// then the same calls made with long-term keys, an MFA-less session and an
// MFA session. The seed's `Bool aws:MultiFactorAuthPresent false` leaves
// long-term keys with every permission; the printed BoolIfExists policy
// denies them everything but MFA self-service and GetSessionToken.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AssumeRoleCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { ListAccessKeysCommand, ListMFADevicesCommand } from "@aws-sdk/client-iam";
import { manualClock } from "../../fake-aws/clock.ts";
import { startFakeAws, type FakeAws } from "../../fake-aws/server.ts";
import { parseWorld } from "../../fake-aws/world.ts";
import { clients, credsOf, missingClient, run, type Creds } from "../fake-aws/helpers.ts";
import { skipLoudly } from "../cli/helpers.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

/**
 * The policy seed 002 ("Using the AWS CLI Securely", step 5 of "Creating a
 * new IAM Policy - ForceMFA") has readers paste, copied byte for byte from
 * the seed with its markdown indentation removed.
 */
const SEED002_POLICY = join(import.meta.dirname, "../fixtures/seed002-force-mfa.json");

const ACCOUNT = "111111111111";
const TARGET_ROLE = `arn:aws:iam::${ACCOUNT}:role/target`;
const users = {
  seed: {
    accessKeyId: "AKIAFAKESEEDPOLICY01",
    secretAccessKey: "fake/seed/secret/key/not/real/0000000001",
  },
  awsmfa: {
    accessKeyId: "AKIAFAKEAWSMFAPOL001",
    secretAccessKey: "fake/awsmfa/secret/key/not/real/00000001",
  },
} as const satisfies Record<string, Creds>;
type Who = keyof typeof users;
const serial = (who: Who) => `arn:aws:iam::${ACCOUNT}:mfa/${who}`;

let aws: FakeAws;
const clock = manualClock(Date.now());
let printed: unknown;

before(async () => {
  const sb = await makeSandbox();
  try {
    const r = await sb.run(["policy", "force-mfa"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    printed = JSON.parse(r.stdout);
  } finally {
    await sb.cleanup();
  }
  const world = parseWorld({
    accounts: [
      {
        id: ACCOUNT,
        policies: [
          {
            name: "AdministratorAccess",
            document: { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
          },
          {
            name: "SeedForceMFA",
            document: JSON.parse(await readFile(SEED002_POLICY, "utf8")) as unknown,
          },
          { name: "AwsmfaForceMFA", document: printed },
        ],
        users: (["seed", "awsmfa"] as const).map((who) => ({
          name: who,
          policies: ["AdministratorAccess", who === "seed" ? "SeedForceMFA" : "AwsmfaForceMFA"],
          accessKeys: [{ id: users[who].accessKeyId, secret: users[who].secretAccessKey }],
          mfaDevices: [{ serial: serial(who), seed: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" }],
        })),
        roles: [{ name: "target", trust: { principals: [ACCOUNT] } }],
      },
    ],
  });
  aws = await startFakeAws({ world, clock });
});
after(() => aws.stop());

/** "allowed", or the AWS error code the call failed with. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "allowed";
  } catch (e) {
    if (e instanceof Error) return e.name;
    throw e;
  }
}

async function sessionOf(who: Who, withMfa: boolean): Promise<Creds> {
  const { sts } = clients(aws, users[who], clock);
  const out = await sts.send(
    new GetSessionTokenCommand(
      withMfa ? { SerialNumber: serial(who), TokenCode: aws.freshTotp(serial(who)) } : {},
    ),
  );
  return credsOf(out.Credentials);
}

/** What each policy does, per credential kind and call. */
const TABLE: readonly {
  readonly what: string;
  readonly creds: (who: Who) => Promise<Creds>;
  readonly call: (c: Creds) => Promise<unknown>;
  readonly seed: string;
  readonly awsmfa: string;
}[] = [
  {
    what: "long-term keys: iam:ListAccessKeys",
    creds: (who) => Promise.resolve(users[who]),
    call: (c) => clients(aws, c, clock).iam.send(new ListAccessKeysCommand({})),
    seed: "allowed",
    awsmfa: "AccessDenied",
  },
  {
    what: "long-term keys: sts:AssumeRole",
    creds: (who) => Promise.resolve(users[who]),
    call: (c) =>
      clients(aws, c, clock).sts.send(
        new AssumeRoleCommand({ RoleArn: TARGET_ROLE, RoleSessionName: "policy-test" }),
      ),
    seed: "allowed",
    awsmfa: "AccessDenied",
  },
  {
    what: "long-term keys: iam:ListMFADevices (self-service)",
    creds: (who) => Promise.resolve(users[who]),
    call: (c) => clients(aws, c, clock).iam.send(new ListMFADevicesCommand({})),
    seed: "allowed",
    awsmfa: "allowed",
  },
  {
    what: "long-term keys: sts:GetSessionToken without MFA",
    creds: (who) => Promise.resolve(users[who]),
    call: (c) => clients(aws, c, clock).sts.send(new GetSessionTokenCommand({})),
    seed: "allowed",
    awsmfa: "allowed",
  },
  {
    what: "session without MFA: sts:AssumeRole",
    creds: (who) => sessionOf(who, false),
    call: (c) =>
      clients(aws, c, clock).sts.send(
        new AssumeRoleCommand({ RoleArn: TARGET_ROLE, RoleSessionName: "policy-test" }),
      ),
    seed: "AccessDenied",
    awsmfa: "AccessDenied",
  },
  {
    what: "session with MFA: iam:ListAccessKeys",
    creds: (who) => sessionOf(who, true),
    call: (c) => clients(aws, c, clock).iam.send(new ListAccessKeysCommand({})),
    seed: "allowed",
    awsmfa: "allowed",
  },
];

describe("seed 002's ForceMFA (Bool) vs awsmfa policy force-mfa (BoolIfExists), on fake-aws", () => {
  for (const row of TABLE) {
    it(`${row.what}: seed ${row.seed}, awsmfa ${row.awsmfa}`, async () => {
      for (const who of ["seed", "awsmfa"] as const) {
        assert.equal(await outcome(row.call(await row.creds(who))), row[who], `${who} policy`);
      }
    });
  }

  it("the AWS CLI v1 with long-term keys: the seed's policy lets it list access keys, awsmfa's denies it", async (t) => {
    const why = await missingClient("aws", ["--version"]);
    if (why !== undefined) {
      skipLoudly(t, `AWS CLI v1 missing, cannot drive the policies with it: ${why}`);
      return;
    }
    const home = await mkdtemp(join(tmpdir(), "awsmfa-policy-"));
    try {
      const results: Record<string, number | null> = {};
      for (const who of ["seed", "awsmfa"] as const) {
        const r = await run("aws", ["iam", "list-access-keys", "--output", "json"], {
          env: {
            PATH: process.env.PATH,
            HOME: home,
            AWS_CONFIG_FILE: join(home, "config"),
            AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_ACCESS_KEY_ID: users[who].accessKeyId,
            AWS_SECRET_ACCESS_KEY: users[who].secretAccessKey,
            AWS_DEFAULT_REGION: "us-east-1",
            AWS_MAX_ATTEMPTS: "1",
            AWS_ENDPOINT_URL_IAM: aws.url,
          },
        });
        results[who] = r.status;
        if (who === "awsmfa") assert.match(r.stderr, /AccessDenied.*explicit deny/s);
        else assert.match(r.stdout, new RegExp(users.seed.accessKeyId));
      }
      assert.deepEqual(results, { seed: 0, awsmfa: 255 });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe("awsmfa policy force-mfa", () => {
  it("prints the BoolIfExists deny, and GetSessionToken is not denied without MFA", () => {
    const text = JSON.stringify(printed);
    assert.match(text, /"BoolIfExists":\{"aws:MultiFactorAuthPresent":"false"\}/);
    assert.doesNotMatch(text, /"Bool":\{"aws:MultiFactorAuthPresent":"false"\}/);
    assert.match(text, /"NotAction":\[[^\]]*"sts:GetSessionToken"/);
  });

  it("help explains why the plain Bool policy does not deny long-term keys", async () => {
    const sb = await makeSandbox();
    try {
      const r = await sb.run(["policy", "--help"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /"Bool": \{ "aws:MultiFactorAuthPresent": "false" \}/);
      assert.match(r.stdout, /does NOT deny long-term access keys/);
      assert.match(r.stdout, /BoolIfExists matches when\s+the key is missing/);
    } finally {
      await sb.cleanup();
    }
  });

  it("an unknown policy name is a usage error that names the known ones", async () => {
    const sb = await makeSandbox();
    try {
      const r = await sb.run(["policy", "force-mfaa"]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /unknown policy 'force-mfaa'; known: force-mfa/);
    } finally {
      await sb.cleanup();
    }
  });
});
