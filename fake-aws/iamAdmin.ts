/**
 * IAM actions that create what `awsmfa bootstrap --apply` needs: managed
 * policies, groups and their members and attachments, roles with a trust
 * document. What they create is evaluated like the world's own entities
 * (identity policies, role trust). AWS's quotas that matter here: 10
 * managed policies per group and per role; error codes EntityAlreadyExists,
 * NoSuchEntity, MalformedPolicyDocument, LimitExceeded.
 *
 * A trust document is taken as one Allow statement for sts:AssumeRole with
 * Principal.AWS and the conditions the world file models (Bool
 * aws:MultiFactorAuthPresent true, StringEquals sts:ExternalId); anything
 * else is refused as not supported by fake-aws, never silently widened.
 */
import { createHash } from "node:crypto";
import { authorize } from "./authz.ts";
import { AWS_MANAGED } from "./awsManaged.ts";
import { AwsFault, faults } from "./errors.ts";
import { Validator } from "./params.ts";
import type { FakeState, RoleState } from "./state.ts";
import type { ActionContext, ActionResult } from "./sts.ts";
import { iso } from "./sts.ts";
import type {
  PolicyDocument,
  PolicyStatement,
  WorldAccount,
  WorldGroup,
  WorldTrust,
} from "./world.ts";

const NAME_RE = /^[\w+=,.@-]+$/;
const MAX_ATTACHED = 10;

interface Created {
  createdMs: number;
  /** The document as sent, for Get* (AWS returns it URL-encoded). */
  document?: string;
  description?: string;
}

/** When entities were created and what documents they were given, per fake. */
const created = new WeakMap<FakeState, Map<string, Created>>();
function meta(state: FakeState): Map<string, Created> {
  let m = created.get(state);
  if (m === undefined) {
    m = new Map();
    created.set(state, m);
  }
  return m;
}

function id(prefix: string, arn: string): string {
  const digest = createHash("sha256").update(arn).digest("hex").toUpperCase();
  return (prefix + digest.replace(/[^A-Z0-9]/g, "")).slice(0, 21);
}

const malformed = (message: string) => new AwsFault(400, "MalformedPolicyDocument", message);

function account(ctx: ActionContext): WorldAccount {
  const acct = ctx.state.accounts.get(ctx.principal.account);
  if (acct === undefined) throw faults.serviceFailure("caller's account is not in the world");
  return acct;
}

function name(ctx: ActionContext, param: string, field: string, max: number): string {
  const value = ctx.params.required(param);
  const v = new Validator();
  v.length(value, field, 1, max);
  v.pattern(value, field, NAME_RE, "[\\w+=,.@-]+");
  v.done();
  return value;
}

function isStatement(st: unknown): st is PolicyStatement {
  if (typeof st !== "object" || st === null) return false;
  const effect: unknown = Reflect.get(st, "Effect");
  return effect === "Allow" || effect === "Deny";
}

function isDocument(doc: unknown): doc is PolicyDocument {
  if (typeof doc !== "object" || doc === null) return false;
  const statements: unknown = Reflect.get(doc, "Statement");
  return Array.isArray(statements) && statements.every(isStatement);
}

function parseDocument(text: string): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed("Syntax errors in policy.");
  }
  if (!isDocument(doc)) throw malformed("Syntax errors in policy.");
  return doc;
}

/** Customer managed policy ARN -> its name in the caller's account; AWS managed -> the ARN. */
function policyRef(ctx: ActionContext, arn: string): string {
  if (AWS_MANAGED.has(arn)) return arn;
  const m = /^arn:aws:iam::(\d{12}):policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  const acct = account(ctx);
  if (m?.[1] === acct.id && (acct.policies ?? []).some((p) => p.name === m[2])) return m[2] ?? "";
  throw faults.noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
}

function policyArnOf(acct: WorldAccount, ref: string): string {
  return ref.startsWith("arn:") ? ref : `arn:aws:iam::${acct.id}:policy/${ref}`;
}

function attachedXml(acct: WorldAccount, refs: readonly string[]) {
  return refs.map((r) => ({
    PolicyName: r.startsWith("arn:") ? r.slice(r.lastIndexOf("/") + 1) : r,
    PolicyArn: policyArnOf(acct, r),
  }));
}

function createPolicy(ctx: ActionContext): ActionResult {
  const policyName = name(ctx, "PolicyName", "policyName", 128);
  const text = ctx.params.required("PolicyDocument");
  const acct = account(ctx);
  const arn = `arn:aws:iam::${acct.id}:policy/${policyName}`;
  authorize(ctx.state, ctx.principal, "iam:CreatePolicy", arn);
  const document = parseDocument(text);
  acct.policies ??= [];
  if (acct.policies.some((p) => p.name === policyName)) {
    throw faults.entityAlreadyExists(
      `A policy called ${policyName} already exists. Duplicate names are not allowed.`,
    );
  }
  acct.policies.push({ name: policyName, document });
  const description = ctx.params.get("Description");
  meta(ctx.state).set(arn, {
    createdMs: ctx.state.now(),
    document: text,
    ...(description === undefined ? {} : { description }),
  });
  return { Policy: policyXml(ctx.state, acct, policyName) };
}

function policyXml(state: FakeState, acct: WorldAccount, policyName: string) {
  const arn = `arn:aws:iam::${acct.id}:policy/${policyName}`;
  const m = meta(state).get(arn);
  const attachments =
    (acct.groups ?? []).filter((g) => g.policies?.includes(policyName)).length +
    [...state.roles.values()].filter(
      (r) => r.account === acct.id && r.world.policies?.includes(policyName),
    ).length +
    [...state.users.values()].filter(
      (u) => u.account === acct.id && u.policies.includes(policyName),
    ).length;
  return {
    PolicyName: policyName,
    PolicyId: id("ANPA", arn),
    Arn: arn,
    Path: "/",
    DefaultVersionId: "v1",
    AttachmentCount: attachments,
    IsAttachable: true,
    ...(m?.description === undefined ? {} : { Description: m.description }),
    CreateDate: iso(m?.createdMs ?? state.now()),
    UpdateDate: iso(m?.createdMs ?? state.now()),
  };
}

function customerPolicy(
  ctx: ActionContext,
  action: string,
): { acct: WorldAccount; policyName: string; arn: string } {
  const arn = ctx.params.required("PolicyArn");
  authorize(ctx.state, ctx.principal, action, arn);
  const acct = account(ctx);
  const m = /^arn:aws:iam::(\d{12}):policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  const policyName = m?.[2];
  if (
    m?.[1] !== acct.id ||
    policyName === undefined ||
    !(acct.policies ?? []).some((p) => p.name === policyName)
  ) {
    throw faults.noSuchEntity(`Policy ${arn} was not found.`);
  }
  return { acct, policyName, arn };
}

function getPolicy(ctx: ActionContext): ActionResult {
  const { acct, policyName } = customerPolicy(ctx, "iam:GetPolicy");
  return { Policy: policyXml(ctx.state, acct, policyName) };
}

function getPolicyVersion(ctx: ActionContext): ActionResult {
  const { acct, policyName, arn } = customerPolicy(ctx, "iam:GetPolicyVersion");
  const version = ctx.params.required("VersionId");
  if (version !== "v1")
    throw faults.noSuchEntity(
      `Policy ${arn} version ${version} does not exist or is not attachable.`,
    );
  const doc =
    meta(ctx.state).get(arn)?.document ??
    JSON.stringify(acct.policies?.find((p) => p.name === policyName)?.document);
  return {
    PolicyVersion: {
      Document: encodeURIComponent(doc),
      VersionId: "v1",
      IsDefaultVersion: true,
      CreateDate: iso(meta(ctx.state).get(arn)?.createdMs ?? ctx.state.now()),
    },
  };
}

function groupOf(
  ctx: ActionContext,
  action: string,
): { acct: WorldAccount; group: WorldGroup; arn: string } {
  const groupName = name(ctx, "GroupName", "groupName", 128);
  const acct = account(ctx);
  const arn = `arn:aws:iam::${acct.id}:group/${groupName}`;
  authorize(ctx.state, ctx.principal, action, arn);
  const group = (acct.groups ?? []).find((g) => g.name === groupName);
  if (group === undefined)
    throw faults.noSuchEntity(`The group with name ${groupName} cannot be found.`);
  return { acct, group, arn };
}

function groupXml(state: FakeState, acct: WorldAccount, groupName: string) {
  const arn = `arn:aws:iam::${acct.id}:group/${groupName}`;
  return {
    Path: "/",
    GroupName: groupName,
    GroupId: id("AGPA", arn),
    Arn: arn,
    CreateDate: iso(meta(state).get(arn)?.createdMs ?? state.now()),
  };
}

function createGroup(ctx: ActionContext): ActionResult {
  const groupName = name(ctx, "GroupName", "groupName", 128);
  const acct = account(ctx);
  const arn = `arn:aws:iam::${acct.id}:group/${groupName}`;
  authorize(ctx.state, ctx.principal, "iam:CreateGroup", arn);
  acct.groups ??= [];
  if (acct.groups.some((g) => g.name === groupName)) {
    throw faults.entityAlreadyExists(`Group with name ${groupName} already exists.`);
  }
  acct.groups.push({ name: groupName, policies: [] });
  meta(ctx.state).set(arn, { createdMs: ctx.state.now() });
  return { Group: groupXml(ctx.state, acct, groupName) };
}

function getGroup(ctx: ActionContext): ActionResult {
  const { acct, group } = groupOf(ctx, "iam:GetGroup");
  const users = [...ctx.state.users.values()].filter(
    (u) => u.account === acct.id && u.groups.includes(group.name),
  );
  return {
    Group: groupXml(ctx.state, acct, group.name),
    Users: users.map((u) => ({
      Path: u.path,
      UserName: u.name,
      UserId: u.userId,
      Arn: u.arn,
      CreateDate: iso(u.createdMs),
    })),
    IsTruncated: false,
  };
}

function attach(refs: string[], ref: string, what: string): void {
  if (refs.includes(ref)) return;
  if (refs.length >= MAX_ATTACHED) {
    throw faults.limitExceeded(
      `Cannot exceed quota for PoliciesPerGroup: ${MAX_ATTACHED}`.replace("Group", what),
    );
  }
  refs.push(ref);
}

function attachGroupPolicy(ctx: ActionContext): ActionResult {
  const { group } = groupOf(ctx, "iam:AttachGroupPolicy");
  group.policies ??= [];
  attach(group.policies, policyRef(ctx, ctx.params.required("PolicyArn")), "Group");
  return undefined;
}

function listAttachedGroupPolicies(ctx: ActionContext): ActionResult {
  const { acct, group } = groupOf(ctx, "iam:ListAttachedGroupPolicies");
  return { AttachedPolicies: attachedXml(acct, group.policies ?? []), IsTruncated: false };
}

function addUserToGroup(ctx: ActionContext): ActionResult {
  const { acct, group } = groupOf(ctx, "iam:AddUserToGroup");
  const userName = name(ctx, "UserName", "userName", 64);
  ctx.record.userName = userName;
  const user = ctx.state.findUser(acct.id, userName);
  if (user === undefined)
    throw faults.noSuchEntity(`The user with name ${userName} cannot be found.`);
  if (!user.groups.includes(group.name)) user.groups.push(group.name);
  return undefined;
}

/** The trust document as the world's WorldTrust, or a fault naming what fake-aws cannot model. */
function trustOf(doc: PolicyDocument): WorldTrust {
  const unsupported = (what: string) =>
    faults.serviceFailure(
      `fake-aws models one Allow sts:AssumeRole statement with Principal.AWS in a trust policy: ${what}`,
    );
  if (doc.Statement.length !== 1) throw unsupported(`${doc.Statement.length} statements`);
  const st: unknown = doc.Statement[0];
  const field = (o: unknown, k: string): unknown =>
    typeof o === "object" && o !== null ? Reflect.get(o, k) : undefined;
  if (field(st, "Effect") !== "Allow" || field(st, "Action") !== "sts:AssumeRole")
    throw unsupported("Effect/Action");
  const aws = field(field(st, "Principal"), "AWS");
  const principals = (Array.isArray(aws) ? aws : [aws]).filter(
    (p): p is string => typeof p === "string",
  );
  if (principals.length === 0) throw malformed("Invalid principal in policy");
  const trust: WorldTrust = { principals };
  const conditions: unknown = field(st, "Condition") ?? {};
  const entries = (o: unknown): [string, unknown][] =>
    typeof o === "object" && o !== null ? Object.entries(o) : [];
  for (const [operator, block] of entries(conditions)) {
    for (const [key, value] of entries(block)) {
      const v: unknown = value;
      if (
        operator === "Bool" &&
        key.toLowerCase() === "aws:multifactorauthpresent" &&
        String(v) === "true"
      ) {
        trust.requireMfa = true;
      } else if (
        operator === "StringEquals" &&
        key.toLowerCase() === "sts:externalid" &&
        typeof v === "string"
      ) {
        trust.externalId = v;
      } else {
        throw unsupported(`condition ${operator} ${key}`);
      }
    }
  }
  return trust;
}

function roleOf(ctx: ActionContext, action: string): RoleState {
  const roleName = name(ctx, "RoleName", "roleName", 64);
  const acct = account(ctx);
  const arn = `arn:aws:iam::${acct.id}:role/${roleName}`;
  authorize(ctx.state, ctx.principal, action, arn);
  const role = [...ctx.state.roles.values()].find(
    (r) => r.account === acct.id && r.name === roleName,
  );
  if (role === undefined)
    throw faults.noSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

function roleXml(state: FakeState, r: RoleState) {
  const m = meta(state).get(r.arn);
  const trust = r.world.trust;
  const document =
    m?.document ??
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: trust.principals }, Action: "sts:AssumeRole" },
      ],
    });
  return {
    Path: r.world.path ?? "/",
    RoleName: r.name,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: iso(m?.createdMs ?? state.now()),
    AssumeRolePolicyDocument: encodeURIComponent(document),
    ...(m?.description === undefined ? {} : { Description: m.description }),
    MaxSessionDuration: r.world.maxSessionDuration ?? 3600,
  };
}

function createRole(ctx: ActionContext): ActionResult {
  const roleName = name(ctx, "RoleName", "roleName", 64);
  const text = ctx.params.required("AssumeRolePolicyDocument");
  const v = new Validator();
  const max = v.range(ctx.params.get("MaxSessionDuration"), "maxSessionDuration", 3600, 43200);
  v.done();
  const acct = account(ctx);
  const arn = `arn:aws:iam::${acct.id}:role/${roleName}`;
  authorize(ctx.state, ctx.principal, "iam:CreateRole", arn);
  if ([...ctx.state.roles.values()].some((r) => r.account === acct.id && r.name === roleName)) {
    throw faults.entityAlreadyExists(`Role with name ${roleName} already exists.`);
  }
  const trust = trustOf(parseDocument(text));
  const world = { name: roleName, trust, maxSessionDuration: max ?? 3600, policies: [] };
  acct.roles ??= [];
  acct.roles.push(world);
  const role: RoleState = { account: acct.id, name: roleName, arn, roleId: id("AROA", arn), world };
  ctx.state.roles.set(arn, role);
  const description = ctx.params.get("Description");
  meta(ctx.state).set(arn, {
    createdMs: ctx.state.now(),
    document: text,
    ...(description === undefined ? {} : { description }),
  });
  return { Role: roleXml(ctx.state, role) };
}

function getRole(ctx: ActionContext): ActionResult {
  return { Role: roleXml(ctx.state, roleOf(ctx, "iam:GetRole")) };
}

function attachRolePolicy(ctx: ActionContext): ActionResult {
  const role = roleOf(ctx, "iam:AttachRolePolicy");
  role.world.policies ??= [];
  attach(role.world.policies, policyRef(ctx, ctx.params.required("PolicyArn")), "Role");
  return undefined;
}

function listAttachedRolePolicies(ctx: ActionContext): ActionResult {
  const role = roleOf(ctx, "iam:ListAttachedRolePolicies");
  return {
    AttachedPolicies: attachedXml(account(ctx), role.world.policies ?? []),
    IsTruncated: false,
  };
}

export const iamAdminActions: Record<string, (ctx: ActionContext) => ActionResult> = {
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
  CreateGroup: createGroup,
  GetGroup: getGroup,
  AttachGroupPolicy: attachGroupPolicy,
  ListAttachedGroupPolicies: listAttachedGroupPolicies,
  AddUserToGroup: addUserToGroup,
  CreateRole: createRole,
  GetRole: getRole,
  AttachRolePolicy: attachRolePolicy,
  ListAttachedRolePolicies: listAttachedRolePolicies,
};
