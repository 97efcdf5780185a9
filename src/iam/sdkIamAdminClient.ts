/** The real IamAdminClient over @aws-sdk/client-iam (loaded lazily by `bootstrap --apply`). */
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { AwsmfaError } from "../errors.ts";
import type { IamAdminClient } from "./IamAdminClient.ts";
import type { IamClientOptions } from "./IamClient.ts";
import { sdkIamCaller } from "./sdkIamCall.ts";
import { IamRefused } from "./iamError.ts";

/** undefined for NoSuchEntity (the entity is not there yet); other errors pass. */
async function orAbsent<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof IamRefused && e.awsCode === "NoSuchEntity") return undefined;
    throw e;
  }
}

/** IAM returns policy documents URL-encoded. */
function documentOf(operation: string, text: string): unknown {
  try {
    return JSON.parse(decodeURIComponent(text));
  } catch (e) {
    throw new AwsmfaError(
      "E_IAM_BAD_ANSWER",
      `IAM's answer to ${operation} has a document that is not JSON.`,
      {
        cause: e,
      },
    );
  }
}

export function createSdkIamAdminClient(options: IamClientOptions): IamAdminClient {
  const { call, missing } = sdkIamCaller(options);
  const attached = (out: { AttachedPolicies?: { PolicyArn?: string | undefined }[] | undefined }) =>
    (out.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn === undefined ? [] : [p.PolicyArn]));
  return {
    callerArn: () =>
      call("GetUser", false, async (c, abortSignal) => {
        const out = await c.send(new GetUserCommand({}), { abortSignal });
        if (out.User?.Arn === undefined) throw missing("GetUser", "User");
        return out.User.Arn;
      }),
    getRole: (roleName) =>
      orAbsent(
        call("GetRole", false, async (c, abortSignal) => {
          const out = await c.send(new GetRoleCommand({ RoleName: roleName }), { abortSignal });
          const r = out.Role;
          if (r?.Arn === undefined || r.AssumeRolePolicyDocument === undefined) {
            throw missing("GetRole", "Role");
          }
          return {
            arn: r.Arn,
            trust: documentOf("GetRole", r.AssumeRolePolicyDocument),
            maxSessionDuration: r.MaxSessionDuration ?? 3600,
          };
        }),
      ),
    createRole: (input) =>
      call("CreateRole", false, async (c, abortSignal) => {
        await c.send(
          new CreateRoleCommand({
            RoleName: input.roleName,
            AssumeRolePolicyDocument: input.trust,
            MaxSessionDuration: input.maxSessionDuration,
            Description: input.description,
          }),
          { abortSignal },
        );
      }),
    listAttachedRolePolicies: (roleName) =>
      call("ListAttachedRolePolicies", false, async (c, abortSignal) =>
        attached(
          await c.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }), {
            abortSignal,
          }),
        ),
      ),
    attachRolePolicy: (roleName, policyArn) =>
      call("AttachRolePolicy", false, async (c, abortSignal) => {
        await c.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }), {
          abortSignal,
        });
      }),
    getGroupMembers: (groupName) =>
      orAbsent(
        call("GetGroup", false, async (c, abortSignal) => {
          const out = await c.send(new GetGroupCommand({ GroupName: groupName }), { abortSignal });
          return (out.Users ?? []).flatMap((u) => (u.UserName === undefined ? [] : [u.UserName]));
        }),
      ),
    createGroup: (groupName) =>
      call("CreateGroup", false, async (c, abortSignal) => {
        await c.send(new CreateGroupCommand({ GroupName: groupName }), { abortSignal });
      }),
    listAttachedGroupPolicies: (groupName) =>
      call("ListAttachedGroupPolicies", false, async (c, abortSignal) =>
        attached(
          await c.send(new ListAttachedGroupPoliciesCommand({ GroupName: groupName }), {
            abortSignal,
          }),
        ),
      ),
    attachGroupPolicy: (groupName, policyArn) =>
      call("AttachGroupPolicy", false, async (c, abortSignal) => {
        await c.send(new AttachGroupPolicyCommand({ GroupName: groupName, PolicyArn: policyArn }), {
          abortSignal,
        });
      }),
    addUserToGroup: (groupName, userName) =>
      call("AddUserToGroup", false, async (c, abortSignal) => {
        await c.send(new AddUserToGroupCommand({ GroupName: groupName, UserName: userName }), {
          abortSignal,
        });
      }),
    getPolicyDocument: (policyArn) =>
      orAbsent(
        call("GetPolicy", false, async (c, abortSignal) => {
          const p = await c.send(new GetPolicyCommand({ PolicyArn: policyArn }), { abortSignal });
          const version = p.Policy?.DefaultVersionId;
          if (version === undefined) throw missing("GetPolicy", "DefaultVersionId");
          const v = await c.send(
            new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: version }),
            {
              abortSignal,
            },
          );
          if (v.PolicyVersion?.Document === undefined)
            throw missing("GetPolicyVersion", "Document");
          return documentOf("GetPolicyVersion", v.PolicyVersion.Document);
        }),
      ),
    createPolicy: (input) =>
      call("CreatePolicy", false, async (c, abortSignal) => {
        await c.send(
          new CreatePolicyCommand({
            PolicyName: input.policyName,
            PolicyDocument: input.document,
            Description: input.description,
          }),
          { abortSignal },
        );
      }),
  };
}
