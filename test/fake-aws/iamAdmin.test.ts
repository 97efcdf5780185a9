// fake-aws's IAM admin calls (bootstrap --apply's), driven by SDK v3: AWS's
// error codes, and what they create is evaluated like the world's own.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import {
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  AddUserToGroupCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { manualClock } from "../../fake-aws/clock.ts";
import { startFakeAws, type FakeAws } from "../../fake-aws/server.ts";
import { ALICE, DAVE, EXAMPLE_WORLD, clients, failure } from "./helpers.ts";

const clock = manualClock(Date.now());
let aws: FakeAws;
before(async () => {
  aws = await startFakeAws({ world: EXAMPLE_WORLD, clock });
});
after(() => aws.stop());

const allow = (action: string, resource: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: action, Resource: resource }],
  });

it("CreatePolicy: a document that is not JSON is MalformedPolicyDocument, a second one of the name EntityAlreadyExists", async () => {
  const { iam } = clients(aws, ALICE, clock);
  const bad = await failure(
    iam.send(new CreatePolicyCommand({ PolicyName: "p1", PolicyDocument: "{nope" })),
  );
  assert.equal(bad.name, "MalformedPolicyDocumentException");
  assert.equal(bad.status, 400);
  await iam.send(new CreatePolicyCommand({ PolicyName: "p1", PolicyDocument: allow("s3:*", "*") }));
  const dup = await failure(
    iam.send(new CreatePolicyCommand({ PolicyName: "p1", PolicyDocument: allow("s3:*", "*") })),
  );
  assert.equal(dup.name, "EntityAlreadyExistsException");
  assert.equal(dup.status, 409);
});

it("AttachGroupPolicy: the 11th policy on a group is LimitExceeded", async () => {
  const { iam } = clients(aws, ALICE, clock);
  await iam.send(new CreateGroupCommand({ GroupName: "many" }));
  for (let i = 0; i < 10; i++) {
    await iam.send(
      new CreatePolicyCommand({ PolicyName: `many-${i}`, PolicyDocument: allow("s3:*", "*") }),
    );
    await iam.send(
      new AttachGroupPolicyCommand({
        GroupName: "many",
        PolicyArn: `arn:aws:iam::111111111111:policy/many-${i}`,
      }),
    );
  }
  await iam.send(
    new CreatePolicyCommand({ PolicyName: "many-10", PolicyDocument: allow("s3:*", "*") }),
  );
  const over = await failure(
    iam.send(
      new AttachGroupPolicyCommand({
        GroupName: "many",
        PolicyArn: "arn:aws:iam::111111111111:policy/many-10",
      }),
    ),
  );
  assert.equal(over.name, "LimitExceededException");
});

it("dave without MFA may not create roles (the self-service policy's deny)", async () => {
  const { iam } = clients(aws, DAVE, clock);
  const denied = await failure(
    iam.send(
      new CreateRoleCommand({
        RoleName: "sneaky",
        AssumeRolePolicyDocument: allow("sts:AssumeRole", "*"),
      }),
    ),
  );
  assert.equal(denied.name, "AccessDenied");
});

it("a created role's trust and a created group's policy decide AssumeRole; GetRole returns the trust URL-encoded", async () => {
  const { iam } = clients(aws, ALICE, clock);
  const trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:root" },
        Action: "sts:AssumeRole",
      },
    ],
  });
  await iam.send(new CreateRoleCommand({ RoleName: "created", AssumeRolePolicyDocument: trust }));
  const got = await iam.send(new GetRoleCommand({ RoleName: "created" }));
  assert.equal(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ""), trust);
  const roleArn = "arn:aws:iam::111111111111:role/created";
  // A new group's policy allows assuming it...
  await iam.send(new CreateGroupCommand({ GroupName: "assumers" }));
  await iam.send(
    new CreatePolicyCommand({
      PolicyName: "assume-created",
      PolicyDocument: allow("sts:AssumeRole", roleArn),
    }),
  );
  await iam.send(
    new AttachGroupPolicyCommand({
      GroupName: "assumers",
      PolicyArn: "arn:aws:iam::111111111111:policy/assume-created",
    }),
  );
  // ...but dave's BoolIfExists deny stops his long-term keys whatever the group allows.
  await iam.send(new AddUserToGroupCommand({ GroupName: "assumers", UserName: "dave" }));
  const dave = clients(aws, DAVE, clock);
  const denied = await failure(
    dave.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "dave" })),
  );
  assert.equal(denied.name, "AccessDenied");
  const ok = await clients(aws, ALICE, clock).sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "alice" }),
  );
  assert.match(ok.AssumedRoleUser?.Arn ?? "", /assumed-role\/created\/alice$/);
});
