// fake-aws driven by the AWS SDK for JavaScript v3: every action succeeds,
// and every limit AWS enforces fails with AWS's code, status and message.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
} from "@aws-sdk/client-sts";
import {
  CreateAccessKeyCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { manualClock } from "../../fake-aws/clock.ts";
import type { ManualClock } from "../../fake-aws/clock.ts";
import { startFakeAws } from "../../fake-aws/server.ts";
import type { FakeAws } from "../../fake-aws/server.ts";
import { totpAt } from "../../fake-aws/totp.ts";
import {
  ADMIN_ROLE,
  ALICE,
  ALICE_MFA,
  BOB,
  BOB_MFA,
  CAROL,
  CAROL_MFA,
  CROSS_ROLE,
  DAVE,
  DEPLOY_ROLE,
  EXAMPLE_WORLD,
  PARTNER_ROLE,
  READONLY_ROLE,
  clients,
  credsOf,
  failure,
  must,
} from "./helpers.ts";
import type { Creds } from "./helpers.ts";

const INVALID_MFA = "MultiFactorAuthentication failed with invalid MFA one time pass code.";

async function withFake(fn: (aws: FakeAws, clock: ManualClock) => Promise<void>): Promise<void> {
  // Start 10 s into a TOTP step so no code changes under a test's feet.
  const clock = manualClock(Math.floor(Date.now() / 30_000) * 30_000 + 10_000);
  const aws = await startFakeAws({ world: EXAMPLE_WORLD, clock });
  try {
    await fn(aws, clock);
  } finally {
    await aws.stop();
  }
}

async function mfaSession(
  aws: FakeAws,
  clock: ManualClock,
  creds: Creds,
  serial: string,
  duration?: number,
) {
  const out = await clients(aws, creds, clock).sts.send(
    new GetSessionTokenCommand({
      SerialNumber: serial,
      TokenCode: aws.freshTotp(serial),
      ...(duration !== undefined ? { DurationSeconds: duration } : {}),
    }),
  );
  return credsOf(out.Credentials);
}

test("GetCallerIdentity, and the three ways a signature is refused", () =>
  withFake(async (aws, clock) => {
    const id = await clients(aws, ALICE, clock).sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, "arn:aws:iam::111111111111:user/alice");
    assert.equal(id.Account, "111111111111");
    assert.match(id.UserId ?? "", /^AIDA[A-Z0-9]{17}$/);

    const unknown = await failure(
      clients(aws, { ...ALICE, accessKeyId: "AKIAFAKEUNKNOWN00001" }, clock).sts.send(
        new GetCallerIdentityCommand({}),
      ),
    );
    assert.deepEqual(unknown, {
      name: "InvalidClientTokenId",
      message: "The security token included in the request is invalid.",
      status: 403,
    });
    const wrong = await failure(
      clients(
        aws,
        { ...ALICE, secretAccessKey: ALICE.secretAccessKey.replace("f", "F") },
        clock,
      ).sts.send(new GetCallerIdentityCommand({})),
    );
    assert.equal(wrong.name, "SignatureDoesNotMatch");
    assert.equal(wrong.status, 403);
    assert.match(wrong.message, /^The request signature we calculated does not match/);

    // Skewed clock: the client signs 6 minutes behind the fake.
    const skewed = await failure(
      clients(aws, ALICE, clock, {
        systemClockOffset: clock.now() - Date.now() - 6 * 60_000,
      }).sts.send(new GetCallerIdentityCommand({})),
    );
    assert.equal(skewed.name, "SignatureDoesNotMatch");
    assert.match(
      skewed.message,
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
    assert.deepEqual(
      aws.calls().map((c) => [c.action, c.ok, c.errorCode]),
      [
        ["GetCallerIdentity", true, undefined],
        ["GetCallerIdentity", false, "InvalidClientTokenId"],
        ["GetCallerIdentity", false, "SignatureDoesNotMatch"],
        ["GetCallerIdentity", false, "SignatureDoesNotMatch"],
      ],
    );
  }));

test("GetSessionToken: durations, MFA, fresh ASIA keys that work until they expire", () =>
  withFake(async (aws, clock) => {
    const { sts } = clients(aws, ALICE, clock);
    const plain = await sts.send(new GetSessionTokenCommand({}));
    assert.equal(
      plain.Credentials?.Expiration?.getTime(),
      Math.floor(clock.now() / 1000) * 1000 + 43200 * 1000,
    );
    const a = credsOf(plain.Credentials);
    const b = await mfaSession(aws, clock, ALICE, ALICE_MFA, 900);
    for (const c of [a, b]) {
      assert.match(c.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
      assert.equal(c.secretAccessKey.length, 40);
    }
    assert.notEqual(a.accessKeyId, b.accessKeyId);
    const who = await clients(aws, b, clock).sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, "arn:aws:iam::111111111111:user/alice");

    for (const [d, bound] of [
      [899, "greater than or equal to 900"],
      [129601, "less than or equal to 129600"],
    ] as const) {
      const e = await failure(sts.send(new GetSessionTokenCommand({ DurationSeconds: d })));
      assert.equal(e.name, "ValidationError");
      assert.equal(e.status, 400);
      assert.equal(
        e.message,
        `1 validation error detected: Value '${d}' at 'durationSeconds' failed to satisfy constraint: Member must have value ${bound}`,
      );
    }
    const nested = await failure(
      clients(aws, b, clock).sts.send(
        new GetSessionTokenCommand({
          SerialNumber: ALICE_MFA,
          TokenCode: aws.freshTotp(ALICE_MFA),
        }),
      ),
    );
    assert.deepEqual(nested, {
      name: "AccessDenied",
      message: "Cannot call GetSessionToken with session credentials",
      status: 403,
    });

    // Expiry: 900 s later the session is refused with ExpiredToken.
    clock.advance(901_000);
    const expired = await failure(
      clients(aws, b, clock).sts.send(new GetCallerIdentityCommand({})),
    );
    assert.deepEqual(expired, {
      name: "ExpiredToken",
      message: "The security token included in the request is expired",
      status: 403,
    });
    const rec = aws.calls().find((c) => c.action === "GetSessionToken" && c.mfaCodeUsed === true);
    assert.ok(rec);
    assert.equal(rec.serialNumber, ALICE_MFA);
    assert.equal(rec.durationSeconds, 900);
  }));

test("MFA codes: single use, right device only, one step of drift", () =>
  withFake(async (aws, clock) => {
    const { sts } = clients(aws, ALICE, clock);
    const code = aws.totp(ALICE_MFA);
    await sts.send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: code }));
    const reused = await failure(
      sts.send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: code })),
    );
    assert.deepEqual(reused, { name: "AccessDenied", message: INVALID_MFA, status: 403 });

    clock.advance(30_000);
    // Bob's code for Alice's device, and Alice naming Bob's device: both refused.
    const wrongDevice = await failure(
      sts.send(
        new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: aws.totp(BOB_MFA) }),
      ),
    );
    assert.equal(wrongDevice.message, INVALID_MFA);
    const notHers = await failure(
      sts.send(new GetSessionTokenCommand({ SerialNumber: BOB_MFA, TokenCode: aws.totp(BOB_MFA) })),
    );
    assert.equal(notHers.message, INVALID_MFA);
    // Two steps away is outside the window, either way.
    for (const offset of [-60_000, 60_000]) {
      const e = await failure(
        sts.send(
          new GetSessionTokenCommand({
            SerialNumber: ALICE_MFA,
            TokenCode: aws.totp(ALICE_MFA, clock.now() + offset),
          }),
        ),
      );
      assert.equal(e.message, INVALID_MFA);
    }
    // One step ahead is accepted (drift) ...
    await sts.send(
      new GetSessionTokenCommand({
        SerialNumber: ALICE_MFA,
        TokenCode: aws.totp(ALICE_MFA, clock.now() + 30_000),
      }),
    );
    // ... and after it the current step's code is older than the last used, so refused.
    const older = await failure(
      sts.send(
        new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: aws.totp(ALICE_MFA) }),
      ),
    );
    assert.equal(older.message, INVALID_MFA);
    assert.throws(() => aws.freshTotp(ALICE_MFA), /advance the clock/);
    clock.advance(60_000);
    assert.equal(aws.freshTotp(ALICE_MFA), aws.totp(ALICE_MFA));

    const bad = await failure(
      sts.send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: "12a456" })),
    );
    assert.equal(bad.name, "ValidationError");
    assert.match(
      bad.message,
      /at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\d\]\*/,
    );
    const json = JSON.stringify(aws.calls());
    assert.ok(!json.includes(code), "a TOTP code reached the call log");
  }));

test("AssumeRole: trust, MFA either way, ExternalId, session names and durations", () =>
  withFake(async (aws, clock) => {
    const { sts } = clients(aws, ALICE, clock);
    const denied = await failure(
      sts.send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: "s1" })),
    );
    assert.deepEqual(denied, {
      name: "AccessDenied",
      message: `User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${ADMIN_ROLE}`,
      status: 403,
    });
    // MFA by SerialNumber+TokenCode from long-term keys: up to MaxSessionDuration (12 h).
    const direct = await sts.send(
      new AssumeRoleCommand({
        RoleArn: ADMIN_ROLE,
        RoleSessionName: "direct",
        DurationSeconds: 43200,
        SerialNumber: ALICE_MFA,
        TokenCode: aws.freshTotp(ALICE_MFA),
      }),
    );
    assert.equal(
      direct.AssumedRoleUser?.Arn,
      "arn:aws:sts::111111111111:assumed-role/admin/direct",
    );
    assert.match(must(direct.AssumedRoleUser.AssumedRoleId), /^AROA[A-Z0-9]{17}:direct$/);
    assert.equal(
      direct.Credentials?.Expiration?.getTime(),
      Math.floor(clock.now() / 1000) * 1000 + 43200_000,
    );

    // MFA through the caller's GetSessionToken session: role chaining, capped at 1 h.
    const session = await mfaSession(aws, clock, ALICE, ALICE_MFA);
    const viaSession = clients(aws, session, clock).sts;
    const chainedTooLong = await failure(
      viaSession.send(
        new AssumeRoleCommand({
          RoleArn: ADMIN_ROLE,
          RoleSessionName: "s2",
          DurationSeconds: 3601,
        }),
      ),
    );
    assert.deepEqual(chainedTooLong, {
      name: "ValidationError",
      message:
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      status: 400,
    });
    const admin = await viaSession.send(
      new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: "s2" }),
    );
    const adminCreds = credsOf(admin.Credentials);
    // Role to role (admin -> deploy): also chaining.
    const adminSts = clients(aws, adminCreds, clock).sts;
    const roleChain = await failure(
      adminSts.send(
        new AssumeRoleCommand({
          RoleArn: DEPLOY_ROLE,
          RoleSessionName: "dd",
          DurationSeconds: 7200,
        }),
      ),
    );
    assert.equal(roleChain.message, chainedTooLong.message);
    const deploy = await adminSts.send(
      new AssumeRoleCommand({ RoleArn: DEPLOY_ROLE, RoleSessionName: "dd" }),
    );
    assert.equal(deploy.AssumedRoleUser?.Arn, "arn:aws:sts::111111111111:assumed-role/deploy/dd");
    // deploy trusts only the admin role, not Alice.
    assert.equal(
      (
        await failure(
          sts.send(new AssumeRoleCommand({ RoleArn: DEPLOY_ROLE, RoleSessionName: "dd" })),
        )
      ).name,
      "AccessDenied",
    );

    // readonly: no MFA needed, MaxSessionDuration 1 h.
    await sts.send(new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: "ro" }));
    const tooLong = await failure(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: READONLY_ROLE,
          RoleSessionName: "ro",
          DurationSeconds: 7200,
        }),
      ),
    );
    assert.deepEqual(tooLong, {
      name: "ValidationError",
      message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      status: 400,
    });
    const shortName = await failure(
      sts.send(new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: "x" })),
    );
    assert.equal(
      shortName.message,
      "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    const longName = await failure(
      sts.send(new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: "x".repeat(65) })),
    );
    assert.equal(longName.name, "ValidationError");

    // ExternalId.
    assert.equal(
      (
        await failure(
          sts.send(new AssumeRoleCommand({ RoleArn: PARTNER_ROLE, RoleSessionName: "pp" })),
        )
      ).name,
      "AccessDenied",
    );
    assert.equal(
      (
        await failure(
          sts.send(
            new AssumeRoleCommand({
              RoleArn: PARTNER_ROLE,
              RoleSessionName: "pp",
              ExternalId: "wrong-id",
            }),
          ),
        )
      ).name,
      "AccessDenied",
    );
    await sts.send(
      new AssumeRoleCommand({
        RoleArn: PARTNER_ROLE,
        RoleSessionName: "pp",
        ExternalId: "fake-external-id-0001",
      }),
    );

    // Cross-account with the MFA session.
    const cross = await viaSession.send(
      new AssumeRoleCommand({ RoleArn: CROSS_ROLE, RoleSessionName: "x-acct" }),
    );
    const crossId = await clients(aws, credsOf(cross.Credentials), clock).sts.send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(crossId.Account, "222222222222");
    assert.equal(crossId.Arn, "arn:aws:sts::222222222222:assumed-role/cross-admin/x-acct");
  }));

test("AssumeRole records SourceIdentity, Tags and TransitiveTagKeys, seen again on GetCallerIdentity", () =>
  withFake(async (aws, clock) => {
    const out = await clients(aws, ALICE, clock).sts.send(
      new AssumeRoleCommand({
        RoleArn: READONLY_ROLE,
        RoleSessionName: "tagged",
        SourceIdentity: "alice@example.com",
        Tags: [
          { Key: "team", Value: "infra" },
          { Key: "cost", Value: "42" },
        ],
        TransitiveTagKeys: ["team"],
      }),
    );
    assert.equal(out.SourceIdentity, "alice@example.com");
    await clients(aws, credsOf(out.Credentials), clock).sts.send(new GetCallerIdentityCommand({}));
    const [assume, whoami] = aws.calls();
    assert.deepEqual(
      { ...assume, time: "" },
      {
        time: "",
        service: "sts",
        action: "AssumeRole",
        callerArn: "arn:aws:iam::111111111111:user/alice",
        credentialType: "user",
        mfaPresent: false,
        ok: true,
        httpStatus: 200,
        roleArn: READONLY_ROLE,
        roleSessionName: "tagged",
        durationSeconds: 3600,
        externalIdSent: false,
        sourceIdentity: "alice@example.com",
        tags: [
          { Key: "team", Value: "infra" },
          { Key: "cost", Value: "42" },
        ],
        transitiveTagKeys: ["team"],
      },
    );
    assert.equal(whoami?.callerArn, "arn:aws:sts::111111111111:assumed-role/readonly/tagged");
    assert.equal(whoami.sessionSourceIdentity, "alice@example.com");
    assert.deepEqual(whoami.sessionTags, [
      { Key: "team", Value: "infra" },
      { Key: "cost", Value: "42" },
    ]);
  }));

test("GetFederationToken works from long-term keys only", () =>
  withFake(async (aws, clock) => {
    const out = await clients(aws, ALICE, clock).sts.send(
      new GetFederationTokenCommand({ Name: "fed-alice", DurationSeconds: 3600 }),
    );
    assert.equal(out.FederatedUser?.Arn, "arn:aws:sts::111111111111:federated-user/fed-alice");
    assert.equal(must(out.FederatedUser.FederatedUserId), "111111111111:fed-alice");
    const who = await clients(aws, credsOf(out.Credentials), clock).sts.send(
      new GetCallerIdentityCommand({}),
    );
    assert.equal(who.Arn, "arn:aws:sts::111111111111:federated-user/fed-alice");
    const session = await mfaSession(aws, clock, ALICE, ALICE_MFA);
    const e = await failure(
      clients(aws, session, clock).sts.send(new GetFederationTokenCommand({ Name: "x1" })),
    );
    assert.deepEqual(e, {
      name: "AccessDenied",
      message: "Cannot call GetFederationToken with session credentials",
      status: 403,
    });
  }));

test("IAM key rotation: create, deactivate, delete; a deleted key stops at once", () =>
  withFake(async (aws, clock) => {
    const { iam } = clients(aws, ALICE, clock);
    const user = await iam.send(new GetUserCommand({}));
    assert.equal(user.User?.UserName, "alice");
    assert.equal(must(user.User.Arn), "arn:aws:iam::111111111111:user/alice");
    const created = await iam.send(new CreateAccessKeyCommand({}));
    const k = must(created.AccessKey);
    const fresh = { accessKeyId: must(k.AccessKeyId), secretAccessKey: must(k.SecretAccessKey) };
    assert.match(fresh.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(fresh.secretAccessKey.length, 40);
    assert.equal(k.Status, "Active");
    const listed = await iam.send(new ListAccessKeysCommand({}));
    assert.deepEqual(
      listed.AccessKeyMetadata?.map((m) => m.AccessKeyId).sort(),
      [ALICE.accessKeyId, fresh.accessKeyId].sort(),
    );
    const third = await failure(iam.send(new CreateAccessKeyCommand({})));
    assert.deepEqual(third, {
      name: "LimitExceededException",
      message: "Cannot exceed quota for AccessKeysPerUser: 2",
      status: 409,
    });

    const freshIam = clients(aws, fresh, clock).iam;
    await freshIam.send(
      new UpdateAccessKeyCommand({ AccessKeyId: ALICE.accessKeyId, Status: "Inactive" }),
    );
    assert.equal((await failure(iam.send(new GetUserCommand({})))).name, "InvalidClientTokenId");
    await freshIam.send(new DeleteAccessKeyCommand({ AccessKeyId: ALICE.accessKeyId }));
    const gone = await failure(iam.send(new GetUserCommand({})));
    assert.equal(gone.name, "InvalidClientTokenId");
    const missing = await failure(
      freshIam.send(new DeleteAccessKeyCommand({ AccessKeyId: ALICE.accessKeyId })),
    );
    assert.deepEqual(missing, {
      name: "NoSuchEntityException",
      message: `The Access Key with id ${ALICE.accessKeyId} cannot be found.`,
      status: 404,
    });
    const noUser = await failure(freshIam.send(new GetUserCommand({ UserName: "nobody" })));
    assert.deepEqual(noUser, {
      name: "NoSuchEntityException",
      message: "The user with name nobody cannot be found.",
      status: 404,
    });
  }));

test("MFA enrolment under the ForceMFA self-service policy (dave), then MFA-only access", () =>
  withFake(async (aws, clock) => {
    const { iam, sts } = clients(aws, DAVE, clock);
    // Without MFA only the listed self-service actions pass the BoolIfExists deny.
    const denied = await failure(iam.send(new ListAccessKeysCommand({})));
    assert.equal(denied.name, "AccessDenied");
    assert.equal(
      denied.message,
      "User: arn:aws:iam::111111111111:user/dave is not authorized to perform: iam:ListAccessKeys on resource: arn:aws:iam::111111111111:user/dave with an explicit deny in an identity-based policy",
    );
    const created = await iam.send(
      new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "dave" }),
    );
    const dev = created.VirtualMFADevice;
    const serial = dev?.SerialNumber ?? "";
    assert.equal(serial, "arn:aws:iam::111111111111:mfa/dave");
    const seed = Buffer.from(dev?.Base32StringSeed ?? new Uint8Array()).toString("ascii");
    assert.match(seed, /^[A-Z2-7]{64}$/);
    const png = Buffer.from(dev?.QRCodePNG ?? new Uint8Array());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    const badEnable = await failure(
      iam.send(
        new EnableMFADeviceCommand({
          UserName: "dave",
          SerialNumber: serial,
          AuthenticationCode1: "123456",
          AuthenticationCode2: "654321",
        }),
      ),
    );
    assert.deepEqual(badEnable, {
      name: "InvalidAuthenticationCodeException",
      message: "Authentication code for device is not valid.",
      status: 403,
    });
    const now = clock.now();
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: "dave",
        SerialNumber: serial,
        AuthenticationCode1: totpAt(seed, now - 30_000),
        AuthenticationCode2: totpAt(seed, now),
      }),
    );
    const devices = await iam.send(new ListMFADevicesCommand({}));
    assert.deepEqual(
      devices.MFADevices?.map((d) => d.SerialNumber),
      [serial],
    );
    // The enrolment codes are spent; the next step's code works.
    const reuse = await failure(
      sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: totpAt(seed, now) })),
    );
    assert.equal(reuse.message, INVALID_MFA);
    const s = await sts.send(
      new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: aws.freshTotp(serial) }),
    );
    const mfaIam = clients(aws, credsOf(s.Credentials), clock).iam;
    const keys = await mfaIam.send(new ListAccessKeysCommand({}));
    assert.equal(keys.AccessKeyMetadata?.length, 1);
    assert.equal(aws.calls().at(-1)?.mfaPresent, true);

    // A GetSessionToken session without MFA cannot call IAM at all.
    const noMfa = credsOf((await sts.send(new GetSessionTokenCommand({}))).Credentials);
    assert.equal(
      (await failure(clients(aws, noMfa, clock).iam.send(new GetUserCommand({})))).name,
      "InvalidClientTokenId",
    );

    await mfaIam.send(new DeactivateMFADeviceCommand({ UserName: "dave", SerialNumber: serial }));
    assert.deepEqual((await iam.send(new ListMFADevicesCommand({}))).MFADevices, []);
  }));

test("ForceMFA: BoolIfExists denies long-term keys (bob); the seed's Bool form only denies non-MFA sessions (carol), as at AWS", () =>
  withFake(async (aws, clock) => {
    const bob = clients(aws, BOB, clock);
    assert.equal(
      (
        await failure(
          bob.sts.send(new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: "bob" })),
        )
      ).name,
      "AccessDenied",
    );
    const bobMfa = await mfaSession(aws, clock, BOB, BOB_MFA);
    await clients(aws, bobMfa, clock).sts.send(
      new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: "bob" }),
    );

    // carol: Deny * when Bool aws:MultiFactorAuthPresent = false. Long-term keys carry no
    // such key, so AWS does not apply the deny; a session without MFA carries "false".
    const carol = clients(aws, CAROL, clock);
    await carol.sts.send(
      new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: "carol" }),
    );
    const noMfa = credsOf((await carol.sts.send(new GetSessionTokenCommand({}))).Credentials);
    const e = await failure(
      clients(aws, noMfa, clock).sts.send(
        new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: "carol" }),
      ),
    );
    assert.equal(e.name, "AccessDenied");
    assert.match(e.message, /with an explicit deny in an identity-based policy$/);
    const withMfa = await mfaSession(aws, clock, CAROL, CAROL_MFA);
    await clients(aws, withMfa, clock).sts.send(
      new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: "carol" }),
    );
  }));

test("sign-in federation: role and federated-user sessions get a SigninToken, GetSessionToken ones do not", () =>
  withFake(async (aws, clock) => {
    const { sts } = clients(aws, ALICE, clock);
    const role = credsOf(
      (
        await sts.send(
          new AssumeRoleCommand({ RoleArn: READONLY_ROLE, RoleSessionName: "console" }),
        )
      ).Credentials,
    );
    const fed = credsOf(
      (await sts.send(new GetFederationTokenCommand({ Name: "fed-alice" }))).Credentials,
    );
    const gst = await mfaSession(aws, clock, ALICE, ALICE_MFA);
    const tokenFor = (c: Creds) => {
      const session = JSON.stringify({
        sessionId: c.accessKeyId,
        sessionKey: c.secretAccessKey,
        sessionToken: c.sessionToken,
      });
      return fetch(
        `${aws.url}/federation?Action=getSigninToken&SessionDuration=3600&Session=${encodeURIComponent(session)}`,
      );
    };
    const refused = await tokenFor(gst);
    assert.equal(refused.status, 400);
    for (const [c, arn] of [
      [role, "arn:aws:sts::111111111111:assumed-role/readonly/console"],
      [fed, "arn:aws:sts::111111111111:federated-user/fed-alice"],
    ] as const) {
      const r = await tokenFor(c);
      assert.equal(r.status, 200);
      const body: unknown = await r.json();
      const token: unknown =
        typeof body === "object" && body !== null ? Reflect.get(body, "SigninToken") : undefined;
      assert.equal(typeof token, "string");
      const login = await fetch(
        `${aws.url}/federation?Action=login&Issuer=awsmfa&Destination=${encodeURIComponent("https://console.aws.amazon.com/")}&SigninToken=${encodeURIComponent(String(token))}`,
      );
      assert.equal(login.status, 200);
      assert.ok((await login.text()).includes(arn));
    }
    const bogus = await fetch(`${aws.url}/federation?Action=login&SigninToken=nope`);
    assert.equal(bogus.status, 400);
  }));

test("the call log never holds a secret, a session token or a TOTP code", () =>
  withFake(async (aws, clock) => {
    const code = aws.freshTotp(ALICE_MFA);
    const out = await clients(aws, ALICE, clock).sts.send(
      new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: code }),
    );
    const s = credsOf(out.Credentials);
    await clients(aws, s, clock).sts.send(new GetCallerIdentityCommand({}));
    const text = JSON.stringify(aws.calls());
    for (const secret of [
      code,
      ALICE.secretAccessKey,
      s.secretAccessKey,
      s.sessionToken ?? "",
      s.accessKeyId,
    ]) {
      assert.ok(!text.includes(secret), "call log leaked a secret");
    }
  }));
