/**
 * The world file: accounts, IAM users with access keys, groups, managed
 * policies, virtual MFA devices and roles. See README.md and worlds/example.json.
 */
import { readFileSync } from "node:fs";
import { isRecord } from "./values.ts";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
}

export interface WorldAccessKey {
  id: string;
  secret: string;
  /** Default "Active". */
  status?: "Active" | "Inactive";
  /** ISO time; default the server start. */
  created?: string;
}

export interface WorldMfaDevice {
  /** arn:aws:iam::ACCOUNT:mfa/NAME */
  serial: string;
  /** RFC 4648 base32 seed, as CreateVirtualMFADevice hands out. */
  seed: string;
}

export interface WorldUser {
  name: string;
  /** Default "/". */
  path?: string;
  accessKeys?: WorldAccessKey[];
  /** Devices enabled for this user. */
  mfaDevices?: WorldMfaDevice[];
  groups?: string[];
  /** Names of managed policies in this account. */
  policies?: string[];
  /** Inline policies: name -> document. */
  inlinePolicies?: Record<string, PolicyDocument>;
}

export interface WorldGroup {
  name: string;
  policies?: string[];
}

export interface WorldPolicy {
  name: string;
  document: PolicyDocument;
}

export interface WorldTrust {
  /**
   * Principals allowed to assume the role: an account id or
   * "arn:aws:iam::ACCOUNT:root" (any principal of that account whose own
   * policies allow sts:AssumeRole on the role), a user ARN or a role ARN
   * (that principal, no identity policy needed when in the same account).
   */
  principals: string[];
  /** Trust condition Bool aws:MultiFactorAuthPresent = true. */
  requireMfa?: boolean;
  /** Trust condition StringEquals sts:ExternalId. */
  externalId?: string;
}

export interface WorldRole {
  name: string;
  path?: string;
  trust: WorldTrust;
  /** 3600..43200, default 3600. */
  maxSessionDuration?: number;
  /** Managed policies (names in this account) for the role's sessions. */
  policies?: string[];
  inlinePolicies?: Record<string, PolicyDocument>;
}

export interface WorldAccount {
  id: string;
  alias?: string;
  users?: WorldUser[];
  groups?: WorldGroup[];
  policies?: WorldPolicy[];
  roles?: WorldRole[];
}

export interface World {
  /** Free text, ignored. */
  description?: string;
  accounts: WorldAccount[];
}

export class WorldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorldError";
  }
}

/**
 * Checks the shape a world file must have and returns it typed. Messages
 * name the JSON path of the first problem.
 */
export function parseWorld(value: unknown, source = "world"): World {
  assertWorld(value, source);
  return value;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function assertWorld(value: unknown, source: string): asserts value is World {
  const fail = (path: string, what: string): never => {
    throw new WorldError(`${source}: ${path}: ${what}`);
  };
  if (!isRecord(value) || !Array.isArray(value.accounts))
    return fail("$", "needs an 'accounts' array");
  const root = { accounts: list(value.accounts) };
  const seenKeys = new Set<string>();
  const seenSerials = new Set<string>();
  root.accounts.forEach((acct, ai) => {
    const p = `accounts[${ai}]`;
    if (!isRecord(acct)) return fail(p, "must be an object");
    if (typeof acct.id !== "string" || !/^\d{12}$/.test(acct.id))
      fail(`${p}.id`, "must be 12 digits");
    for (const field of ["users", "groups", "policies", "roles"]) {
      if (acct[field] !== undefined && !Array.isArray(acct[field]))
        fail(`${p}.${field}`, "must be an array");
    }
    const users = list(acct.users);
    users.forEach((u, ui) => {
      const up = `${p}.users[${ui}]`;
      if (!isRecord(u) || typeof u.name !== "string" || u.name === "")
        return fail(up, "needs a name");
      for (const [ki, k] of list(u.accessKeys).entries()) {
        const kp = `${up}.accessKeys[${ki}]`;
        if (!isRecord(k) || typeof k.id !== "string" || typeof k.secret !== "string") {
          return fail(kp, "needs id and secret");
        }
        if (!/^AKIA[A-Z0-9]{16}$/.test(k.id))
          fail(`${kp}.id`, "must be AKIA followed by 16 of A-Z0-9");
        if (k.secret.length !== 40) fail(`${kp}.secret`, "must be 40 characters");
        if (seenKeys.has(k.id)) fail(`${kp}.id`, "is declared twice");
        seenKeys.add(k.id);
      }
      for (const [di, d] of list(u.mfaDevices).entries()) {
        const dp = `${up}.mfaDevices[${di}]`;
        if (!isRecord(d) || typeof d.serial !== "string" || typeof d.seed !== "string") {
          return fail(dp, "needs serial and seed");
        }
        if (!/^arn:aws:iam::\d{12}:mfa\/[\w+=,.@/-]+$/.test(d.serial))
          fail(`${dp}.serial`, "must be an MFA device ARN");
        if (!/^[A-Z2-7]+=*$/i.test(d.seed)) fail(`${dp}.seed`, "must be base32");
        if (seenSerials.has(d.serial)) fail(`${dp}.serial`, "is declared twice");
        seenSerials.add(d.serial);
      }
    });
    const policyNames = new Set(
      list(acct.policies).map((pol, pi) => {
        if (!isRecord(pol) || typeof pol.name !== "string" || !isRecord(pol.document)) {
          return fail(`${p}.policies[${pi}]`, "needs name and document");
        }
        if (!Array.isArray(pol.document.Statement))
          fail(`${p}.policies[${pi}].document.Statement`, "must be an array");
        return pol.name;
      }),
    );
    const checkRefs = (owner: string, refs: unknown): void => {
      if (refs === undefined) return;
      if (!Array.isArray(refs)) return fail(owner, "must be an array of policy names");
      for (const r of refs) {
        if (typeof r !== "string" || !policyNames.has(r))
          fail(owner, `unknown policy ${JSON.stringify(r)}`);
      }
    };
    users.forEach((u, ui) => {
      if (isRecord(u)) checkRefs(`${p}.users[${ui}].policies`, u.policies);
    });
    list(acct.groups).forEach((g, gi) => {
      if (!isRecord(g) || typeof g.name !== "string")
        return fail(`${p}.groups[${gi}]`, "needs a name");
      checkRefs(`${p}.groups[${gi}].policies`, g.policies);
    });
    list(acct.roles).forEach((r, ri) => {
      const rp = `${p}.roles[${ri}]`;
      if (!isRecord(r) || typeof r.name !== "string") return fail(rp, "needs a name");
      if (!isRecord(r.trust) || !Array.isArray(r.trust.principals))
        fail(`${rp}.trust.principals`, "must be an array");
      const max = r.maxSessionDuration;
      if (max !== undefined && (typeof max !== "number" || max < 3600 || max > 43200)) {
        fail(`${rp}.maxSessionDuration`, "must be 3600..43200");
      }
      checkRefs(`${rp}.policies`, r.policies);
    });
  });
  // The checks above cover what the fake relies on; the rest is taken as declared.
}

export function loadWorld(path: string): World {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new WorldError(
      `cannot read world file ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new WorldError(`${path}: not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseWorld(json, path);
}
