/**
 * `bootstrap --apply` as a plan: read what exists, compare it with what the
 * template would make, and list only the missing pieces. An entity that
 * exists but differs (another trust policy, another policy document) is a
 * conflict: the plan refuses rather than overwrite someone's IAM. A second
 * run over the same account finds nothing to do.
 */
import { isDeepStrictEqual } from "node:util";
import { AwsmfaError } from "../errors.ts";
import {
  assumeRolePolicy,
  bootstrapPolicyNames,
  trustPolicy,
  type BootstrapOptions,
} from "./bootstrapTemplate.ts";
import { forceMfaPolicy } from "./forceMfaPolicy.ts";
import type { IamAdminClient } from "./IamAdminClient.ts";

export type Step =
  | { readonly op: "CreateRole"; readonly roleName: string; readonly trust: string }
  | { readonly op: "AttachRolePolicy"; readonly roleName: string; readonly policyArn: string }
  | { readonly op: "CreateGroup"; readonly groupName: string }
  | {
      readonly op: "CreatePolicy";
      readonly policyName: string;
      readonly document: string;
      readonly description: string;
    }
  | { readonly op: "AttachGroupPolicy"; readonly groupName: string; readonly policyArn: string }
  | { readonly op: "AddUserToGroup"; readonly groupName: string; readonly userName: string };

export interface Plan {
  readonly roleArn: string;
  readonly steps: readonly Step[];
}

export interface PlanInput extends BootstrapOptions {
  /** IAM users to put in the group. */
  readonly addUsers: readonly string[];
}

/** The account and partition of the calling user, from its ARN. */
function accountOf(callerArn: string): { partition: string; account: string } {
  const m = /^arn:([^:]+):iam::(\d{12}):/.exec(callerArn);
  if (m?.[1] === undefined || m[2] === undefined) {
    throw new AwsmfaError(
      "E_BOOTSTRAP_CALLER",
      `The keys belong to ${callerArn}, not an IAM user.`,
      {
        hint: "Run bootstrap --apply with an IAM user's long-term keys (an administrator's).",
      },
    );
  }
  return { partition: m[1], account: m[2] };
}

/** JSON text as IAM gets it. */
const json = (v: unknown): string => JSON.stringify(v);
/** What IAM gives back, compared as data (it may re-serialise the text). */
const same = (observed: unknown, wanted: string): boolean =>
  isDeepStrictEqual(observed, JSON.parse(wanted));

export async function planBootstrap(o: PlanInput, iam: IamAdminClient): Promise<Plan> {
  const { partition, account } = accountOf(await iam.callerArn());
  const roleArn = `arn:${partition}:iam::${account}:role/${o.roleName}`;
  const names = bootstrapPolicyNames(o);
  const policyArn = (name: string) => `arn:${partition}:iam::${account}:policy/${name}`;
  const steps: Step[] = [];
  const conflicts: string[] = [];

  const trust = json(trustPolicy(`arn:${partition}:iam::${account}:root`));
  const role = await iam.getRole(o.roleName);
  if (role === undefined) {
    steps.push({ op: "CreateRole", roleName: o.roleName, trust });
  } else {
    if (!same(role.trust, trust)) {
      conflicts.push(`role ${o.roleName} exists with another trust policy (${json(role.trust)})`);
    }
    if (role.maxSessionDuration !== o.maxSessionSeconds) {
      conflicts.push(
        `role ${o.roleName} exists with a maximum session of ${role.maxSessionDuration} s, not ${o.maxSessionSeconds} s`,
      );
    }
  }
  const roleAttached = role === undefined ? [] : await iam.listAttachedRolePolicies(o.roleName);
  for (const arn of o.rolePolicyArns) {
    if (!roleAttached.includes(arn))
      steps.push({ op: "AttachRolePolicy", roleName: o.roleName, policyArn: arn });
  }

  const policies = [
    {
      policyName: names.assumeRole,
      document: json(assumeRolePolicy(roleArn)),
      description: `Lets ${o.groupName} assume ${o.roleName} (the role itself requires MFA)`,
    },
    {
      policyName: names.forceMfa,
      document: json(forceMfaPolicy()),
      description:
        "Denies everything but MFA self-service and GetSessionToken until signed in with MFA",
    },
  ];
  for (const p of policies) {
    const existing = await iam.getPolicyDocument(policyArn(p.policyName));
    if (existing === undefined) steps.push({ op: "CreatePolicy", ...p });
    else if (!same(existing, p.document)) {
      conflicts.push(`policy ${p.policyName} exists with another document`);
    }
  }

  const members = await iam.getGroupMembers(o.groupName);
  if (members === undefined) steps.push({ op: "CreateGroup", groupName: o.groupName });
  const groupAttached =
    members === undefined ? [] : await iam.listAttachedGroupPolicies(o.groupName);
  for (const p of policies) {
    const arn = policyArn(p.policyName);
    if (!groupAttached.includes(arn))
      steps.push({ op: "AttachGroupPolicy", groupName: o.groupName, policyArn: arn });
  }
  for (const user of o.addUsers) {
    if (!(members ?? []).includes(user))
      steps.push({ op: "AddUserToGroup", groupName: o.groupName, userName: user });
  }

  if (conflicts.length > 0) {
    throw new AwsmfaError(
      "E_BOOTSTRAP_CONFLICT",
      `bootstrap: ${conflicts.join("; ")}. Nothing was changed.`,
      {
        hint: "Pick other names with --role-name/--group-name, or change or delete the existing entities yourself.",
      },
    );
  }
  return { roleArn, steps };
}

/** One line per step, for the plan and the progress. */
export function describeStep(s: Step): string {
  switch (s.op) {
    case "CreateRole":
      return `create role ${s.roleName} (assumable only with MFA)`;
    case "AttachRolePolicy":
      return `attach ${s.policyArn} to role ${s.roleName}`;
    case "CreateGroup":
      return `create group ${s.groupName}`;
    case "CreatePolicy":
      return `create policy ${s.policyName}`;
    case "AttachGroupPolicy":
      return `attach ${s.policyArn} to group ${s.groupName}`;
    case "AddUserToGroup":
      return `add user ${s.userName} to group ${s.groupName}`;
  }
}

/** Runs the steps in order (each one's prerequisites come before it in the plan). */
export async function applyStep(s: Step, iam: IamAdminClient, o: BootstrapOptions): Promise<void> {
  switch (s.op) {
    case "CreateRole":
      return iam.createRole({
        roleName: s.roleName,
        trust: s.trust,
        maxSessionDuration: o.maxSessionSeconds,
        description: "Assumable only with MFA (awsmfa bootstrap)",
      });
    case "AttachRolePolicy":
      return iam.attachRolePolicy(s.roleName, s.policyArn);
    case "CreateGroup":
      return iam.createGroup(s.groupName);
    case "CreatePolicy":
      return iam.createPolicy(s);
    case "AttachGroupPolicy":
      return iam.attachGroupPolicy(s.groupName, s.policyArn);
    case "AddUserToGroup":
      return iam.addUserToGroup(s.groupName, s.userName);
  }
}
