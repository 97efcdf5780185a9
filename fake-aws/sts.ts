/** STS actions: GetCallerIdentity, GetSessionToken, AssumeRole, GetFederationToken. */
import { authorize, decide, notAuthorized } from "./authz.ts";
import { AwsFault, faults } from "./errors.ts";
import type { Params } from "./params.ts";
import { Validator } from "./params.ts";
import { principalArn } from "./state.ts";
import type { CallRecord, FakeState, Principal, SessionState, Tag } from "./state.ts";
import type { XmlValue } from "./xml.ts";

export interface ActionContext {
  state: FakeState;
  principal: Principal;
  params: Params;
  /** Fields to add to this call's log record. */
  record: Partial<CallRecord>;
}

export type ActionResult = Record<string, XmlValue | undefined> | undefined;

const NAME_RE = /^[\w+=,.@-]*$/;
const NAME_SHOWN = "[\\w+=,.@-]*";
const ONE_HOUR = 3600;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function credentialsXml(s: SessionState): Record<string, XmlValue> {
  return {
    AccessKeyId: s.accessKeyId,
    SecretAccessKey: s.secret,
    SessionToken: s.token,
    Expiration: iso(s.expiresMs),
  };
}

/** Checks and consumes SerialNumber+TokenCode against a device of `user`. */
function useMfa(
  ctx: ActionContext,
  user: Principal,
  serial: string | undefined,
  code: string | undefined,
): boolean {
  if (serial === undefined && code === undefined) return false;
  ctx.record.mfaCodeSent = code !== undefined;
  if (serial !== undefined) ctx.record.serialNumber = serial;
  if (serial === undefined || code === undefined) throw faults.invalidMfaCode();
  const device = ctx.state.devices.get(serial);
  const owner = user.kind === "user" || user.kind === "session-token" ? user.user : undefined;
  if (
    device === undefined ||
    owner === undefined ||
    device.account !== owner.account ||
    device.user !== owner.name
  ) {
    throw faults.invalidMfaCode();
  }
  ctx.state.useCode(device, code);
  ctx.record.mfaCodeUsed = true;
  return true;
}

function validateMfaParams(
  v: Validator,
  serial: string | undefined,
  code: string | undefined,
): void {
  v.length(serial, "serialNumber", 9, 256);
  v.pattern(serial, "serialNumber", /^[\w+=/:,.@-]*$/, "[\\w+=/:,.@-]*");
  v.length(code, "tokenCode", 6, 6);
  v.pattern(code, "tokenCode", /^\d*$/, "[\\d]*");
}

export function getCallerIdentity(ctx: ActionContext): ActionResult {
  // No permission needed, and an explicit deny does not stop it (AWS documents this).
  const p = ctx.principal;
  const userId =
    p.kind === "assumed-role"
      ? `${p.role.roleId}:${p.sessionName}`
      : p.kind === "federated"
        ? `${p.account}:${p.name}`
        : p.user.userId;
  return { UserId: userId, Account: p.account, Arn: principalArn(p) };
}

export function getSessionToken(ctx: ActionContext): ActionResult {
  const p = ctx.principal;
  const v = new Validator();
  const duration = v.range(ctx.params.get("DurationSeconds"), "durationSeconds", 900, 129600);
  const serial = ctx.params.get("SerialNumber");
  const code = ctx.params.get("TokenCode");
  validateMfaParams(v, serial, code);
  v.done();
  const durationSeconds = duration ?? 43200;
  ctx.record.durationSeconds = durationSeconds;
  if (serial !== undefined) ctx.record.serialNumber = serial;
  if (p.kind !== "user") {
    throw faults.accessDenied("Cannot call GetSessionToken with session credentials");
  }
  // No permission is needed, but an explicit deny applies.
  if (decide(ctx.state, p, "sts:GetSessionToken", p.user.arn) === "explicit-deny") {
    throw notAuthorized(p, "sts:GetSessionToken", p.user.arn, "explicit-deny");
  }
  const mfa = useMfa(ctx, p, serial, code);
  const now = ctx.state.now();
  const session = ctx.state.newSession(
    {
      kind: "session-token",
      account: p.account,
      user: p.user,
      mfa,
      mfaAtMs: mfa ? now : undefined,
    },
    durationSeconds,
  );
  return { Credentials: credentialsXml(session) };
}

function parseRoleArn(arn: string): { account: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):role\/.+$/.exec(arn);
  return m ? { account: m[1] ?? "" } : undefined;
}

/** Does the trust list name this principal, and must its own policies allow sts:AssumeRole too? */
function trustMatch(
  principals: readonly string[],
  p: Principal,
  roleAccount: string,
): "direct" | "via-account" | "none" {
  const arn = p.kind === "assumed-role" ? p.role.arn : principalArn(p);
  let result: "direct" | "via-account" | "none" = "none";
  for (const entry of principals) {
    if (entry === arn || (p.kind === "assumed-role" && entry === principalArn(p))) {
      return p.account === roleAccount ? "direct" : "via-account";
    }
    if (entry === p.account || entry === `arn:aws:iam::${p.account}:root`) result = "via-account";
  }
  return result;
}

export function assumeRole(ctx: ActionContext): ActionResult {
  const p = ctx.principal;
  const params = ctx.params;
  const roleArn = params.required("RoleArn");
  const sessionName = params.required("RoleSessionName");
  const serial = params.get("SerialNumber");
  const code = params.get("TokenCode");
  const externalId = params.get("ExternalId");
  const sourceIdentity = params.get("SourceIdentity");
  const tags = params.tags("Tags");
  const transitive = params.list("TransitiveTagKeys");
  const v = new Validator();
  v.length(roleArn, "roleArn", 20, 2048);
  v.length(sessionName, "roleSessionName", 2, 64);
  v.pattern(sessionName, "roleSessionName", NAME_RE, NAME_SHOWN);
  const duration = v.range(params.get("DurationSeconds"), "durationSeconds", 900, 43200);
  v.length(externalId, "externalId", 2, 1224);
  v.length(sourceIdentity, "sourceIdentity", 2, 64);
  v.pattern(sourceIdentity, "sourceIdentity", NAME_RE, NAME_SHOWN);
  validateMfaParams(v, serial, code);
  v.check(
    tags.length <= 50,
    String(tags.length),
    "tags",
    "Member must have length less than or equal to 50",
  );
  v.done();
  const durationSeconds = duration ?? ONE_HOUR;
  Object.assign(ctx.record, {
    roleArn,
    roleSessionName: sessionName,
    durationSeconds,
    externalIdSent: externalId !== undefined,
    ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(transitive.length > 0 ? { transitiveTagKeys: transitive } : {}),
  });
  for (const key of transitive) {
    if (!tags.some((t) => t.Key === key)) {
      throw faults.validation(
        "The specified transitive tag key must be included in the requested tags.",
      );
    }
  }
  if (p.kind === "federated") throw notAuthorized(p, "sts:AssumeRole", roleArn);

  const target = parseRoleArn(roleArn);
  const role = ctx.state.roles.get(roleArn);
  if (target === undefined || role === undefined) throw notAuthorized(p, "sts:AssumeRole", roleArn);
  const trust = role.world.trust;
  const match = trustMatch(trust.principals, p, role.account);
  if (match === "none") throw notAuthorized(p, "sts:AssumeRole", roleArn);
  const identity = decide(ctx.state, p, "sts:AssumeRole", roleArn);
  if (identity === "explicit-deny" || (match === "via-account" && identity !== "allow")) {
    throw notAuthorized(p, "sts:AssumeRole", roleArn, identity);
  }
  const codeOk = useMfa(ctx, p, serial, code);
  const callerMfa = p.kind === "session-token" || p.kind === "assumed-role" ? p.mfa : false;
  const mfa = codeOk || callerMfa;
  if (trust.requireMfa === true && !mfa) throw notAuthorized(p, "sts:AssumeRole", roleArn);
  if (trust.externalId !== undefined && trust.externalId !== externalId) {
    throw notAuthorized(p, "sts:AssumeRole", roleArn);
  }
  // Role chaining: temporary credentials (a role session, or GetSessionToken's) assuming a role.
  const chained = p.kind !== "user";
  if (chained && durationSeconds > ONE_HOUR) {
    throw faults.validation(
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
  }
  if (durationSeconds > (role.world.maxSessionDuration ?? ONE_HOUR)) {
    throw faults.validation(
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
  }
  // Source identity, once set, is carried along a chain and cannot be changed.
  const inheritedSource = p.kind === "assumed-role" ? p.sourceIdentity : undefined;
  if (
    inheritedSource !== undefined &&
    sourceIdentity !== undefined &&
    sourceIdentity !== inheritedSource
  ) {
    throw faults.accessDenied(
      `User: ${principalArn(p)} is not authorized to perform: sts:SetSourceIdentity on resource: ${roleArn}`,
    );
  }
  // Transitive tags of the calling session come along; requested tags may not override them.
  const carried: Tag[] =
    p.kind === "assumed-role" ? p.tags.filter((t) => p.transitiveTagKeys.includes(t.Key)) : [];
  for (const t of tags) {
    if (carried.some((c) => c.Key.toLowerCase() === t.Key.toLowerCase())) {
      throw new AwsFault(400, "InvalidParameterValue", `Cannot override transitive tag: ${t.Key}`);
    }
  }
  const now = ctx.state.now();
  const mfaAtMs = codeOk
    ? now
    : p.kind === "session-token" || p.kind === "assumed-role"
      ? p.mfaAtMs
      : undefined;
  const session = ctx.state.newSession(
    {
      kind: "assumed-role",
      account: role.account,
      role,
      sessionName,
      mfa,
      mfaAtMs,
      sourceIdentity: sourceIdentity ?? inheritedSource,
      tags: [...carried, ...tags],
      transitiveTagKeys: [...(p.kind === "assumed-role" ? p.transitiveTagKeys : []), ...transitive],
    },
    durationSeconds,
  );
  const allTags = tags.length + carried.length;
  return {
    Credentials: credentialsXml(session),
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${sessionName}`,
      Arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
    },
    PackedPolicySize: allTags > 0 ? Math.min(100, allTags * 6) : 0,
    SourceIdentity: sourceIdentity ?? inheritedSource,
  };
}

export function getFederationToken(ctx: ActionContext): ActionResult {
  const p = ctx.principal;
  const name = ctx.params.required("Name");
  const v = new Validator();
  v.length(name, "name", 2, 32);
  v.pattern(name, "name", NAME_RE, NAME_SHOWN);
  const duration = v.range(ctx.params.get("DurationSeconds"), "durationSeconds", 900, 129600);
  v.done();
  const durationSeconds = duration ?? 43200;
  ctx.record.durationSeconds = durationSeconds;
  ctx.record.federatedUserName = name;
  if (p.kind !== "user") {
    throw faults.accessDenied("Cannot call GetFederationToken with session credentials");
  }
  const resource = `arn:aws:sts::${p.account}:federated-user/${name}`;
  authorize(ctx.state, p, "sts:GetFederationToken", resource);
  const session = ctx.state.newSession(
    { kind: "federated", account: p.account, user: p.user, name },
    durationSeconds,
  );
  return {
    Credentials: credentialsXml(session),
    FederatedUser: { FederatedUserId: `${p.account}:${name}`, Arn: resource },
    PackedPolicySize: ctx.params.get("Policy") !== undefined ? 10 : 0,
  };
}

export const stsActions: Record<string, (ctx: ActionContext) => ActionResult> = {
  GetCallerIdentity: getCallerIdentity,
  GetSessionToken: getSessionToken,
  AssumeRole: assumeRole,
  GetFederationToken: getFederationToken,
};

export { iso };
