/**
 * The mutable state of a running fake: users and their keys, MFA devices and
 * which TOTP step each last accepted, live sessions, sign-in tokens, the call log.
 */
import { createHash, randomBytes } from "node:crypto";
import { AWS_MANAGED } from "./awsManaged.ts";
import type { FakeClock } from "./clock.ts";
import { faults } from "./errors.ts";
import { matchTotp, totpAt, totpCounter, TOTP_STEP_MS } from "./totp.ts";
import type { PolicyDocument, World, WorldAccount, WorldRole } from "./world.ts";

export interface KeyState {
  id: string;
  secret: string;
  status: "Active" | "Inactive";
  createdMs: number;
}

export interface UserState {
  account: string;
  name: string;
  path: string;
  arn: string;
  userId: string;
  createdMs: number;
  keys: Map<string, KeyState>;
  groups: string[];
  policies: string[];
  inlinePolicies: Record<string, PolicyDocument>;
}

export interface RoleState {
  account: string;
  name: string;
  arn: string;
  roleId: string;
  world: WorldRole;
}

export interface DeviceState {
  serial: string;
  account: string;
  seed: string;
  /** User the device is enabled for; undefined while only created. */
  user: string | undefined;
  enabledMs: number | undefined;
  /** Highest TOTP counter accepted so far: a code is good once, and never an older one after it. */
  lastCounter: number;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** Who signed a request. */
export type Principal =
  | { kind: "user"; account: string; user: UserState }
  | {
      kind: "session-token";
      account: string;
      user: UserState;
      mfa: boolean;
      mfaAtMs: number | undefined;
    }
  | {
      kind: "assumed-role";
      account: string;
      role: RoleState;
      sessionName: string;
      mfa: boolean;
      mfaAtMs: number | undefined;
      sourceIdentity: string | undefined;
      tags: Tag[];
      transitiveTagKeys: string[];
    }
  | { kind: "federated"; account: string; user: UserState; name: string };

export interface SessionState {
  accessKeyId: string;
  secret: string;
  token: string;
  expiresMs: number;
  principal: Principal;
}

export interface CallRecord {
  /** ISO time on the fake's clock. */
  time: string;
  service: "sts" | "iam" | "signin" | "sso" | "sso-oidc";
  action: string;
  /** ARN of the caller when the request got as far as naming one. */
  callerArn?: string;
  credentialType?: Principal["kind"];
  /** aws:MultiFactorAuthPresent of the calling credentials. */
  mfaPresent: boolean;
  ok: boolean;
  httpStatus: number;
  errorCode?: string;
  /** The request carried a TokenCode (or two, for EnableMFADevice)... */
  mfaCodeSent?: boolean;
  /** ...and it was accepted (and so can't be used again). */
  mfaCodeUsed?: boolean;
  serialNumber?: string;
  durationSeconds?: number;
  roleArn?: string;
  roleSessionName?: string;
  externalIdSent?: boolean;
  sourceIdentity?: string;
  tags?: Tag[];
  transitiveTagKeys?: string[];
  federatedUserName?: string;
  userName?: string;
  /** For calls made with role session credentials: what the session carries. */
  sessionSourceIdentity?: string;
  sessionTags?: Tag[];
  /** SSO OIDC CreateToken: the grant type asked for. */
  grantType?: string;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomUpper(n: number): string {
  const bytes = randomBytes(n);
  let s = "";
  for (const b of bytes) s += ALNUM.charAt(b % ALNUM.length);
  return s;
}

/** Stable ids (AIDA..., AROA...) derived from the ARN, so they survive restarts. */
function stableId(prefix: string, arn: string): string {
  const digest = createHash("sha256").update(arn).digest();
  let s = prefix;
  for (let i = 0; s.length < 21; i++) s += ALNUM.charAt((digest[i] ?? 0) % ALNUM.length);
  return s;
}

export function newAccessKeyId(prefix: "AKIA" | "ASIA"): string {
  return prefix + randomUpper(16);
}

export function newSecret(): string {
  return randomBytes(30).toString("base64");
}

export function newSessionToken(): string {
  // Real tokens are long opaque base64 blobs; the length makes clients' size handling honest.
  return "FQoGZXIvYXdzE" + randomBytes(300).toString("base64");
}

export function principalArn(p: Principal): string {
  switch (p.kind) {
    case "user":
    case "session-token":
      return p.user.arn;
    case "assumed-role":
      return `arn:aws:sts::${p.account}:assumed-role/${p.role.name}/${p.sessionName}`;
    case "federated":
      return `arn:aws:sts::${p.account}:federated-user/${p.name}`;
  }
}

export function principalMfa(p: Principal): boolean {
  return p.kind === "session-token" || p.kind === "assumed-role" ? p.mfa : false;
}

export class FakeState {
  readonly clock: FakeClock;
  readonly accounts = new Map<string, WorldAccount>();
  readonly users = new Map<string, UserState>(); // by ARN
  readonly roles = new Map<string, RoleState>(); // by ARN
  readonly devices = new Map<string, DeviceState>(); // by serial
  readonly sessions = new Map<string, SessionState>(); // by access key id
  readonly signinTokens = new Map<
    string,
    { session: SessionState; expiresMs: number; durationSeconds: number }
  >();
  readonly calls: CallRecord[] = [];
  /** Long-term key id -> how many more times STS refuses it (a new key IAM has not spread yet; vault.ts). */
  readonly unseenKeys = new Map<string, number>();
  private readonly keyOwner = new Map<string, UserState>();

  /** See FakeAwsOptions.maxSessionSeconds. */
  private readonly maxSessionSeconds: number;

  constructor(world: World, clock: FakeClock, maxSessionSeconds = Infinity) {
    this.clock = clock;
    this.maxSessionSeconds = maxSessionSeconds;
    const now = clock.now();
    for (const acct of world.accounts) {
      this.accounts.set(acct.id, acct);
      for (const u of acct.users ?? []) {
        const path = u.path ?? "/";
        const arn = `arn:aws:iam::${acct.id}:user${path}${u.name}`;
        const user: UserState = {
          account: acct.id,
          name: u.name,
          path,
          arn,
          userId: stableId("AIDA", arn),
          createdMs: now,
          keys: new Map(),
          groups: u.groups ?? [],
          policies: u.policies ?? [],
          inlinePolicies: u.inlinePolicies ?? {},
        };
        for (const k of u.accessKeys ?? []) {
          const created = k.created === undefined ? now : Date.parse(k.created);
          user.keys.set(k.id, {
            id: k.id,
            secret: k.secret,
            status: k.status ?? "Active",
            createdMs: created,
          });
          this.keyOwner.set(k.id, user);
        }
        for (const d of u.mfaDevices ?? []) {
          this.devices.set(d.serial, {
            serial: d.serial,
            account: acct.id,
            seed: d.seed.toUpperCase(),
            user: u.name,
            enabledMs: now,
            lastCounter: -1,
          });
        }
        this.users.set(arn, user);
      }
      for (const r of acct.roles ?? []) {
        const arn = `arn:aws:iam::${acct.id}:role${r.path ?? "/"}${r.name}`;
        this.roles.set(arn, {
          account: acct.id,
          name: r.name,
          arn,
          roleId: stableId("AROA", arn),
          world: r,
        });
      }
    }
  }

  now(): number {
    return this.clock.now();
  }

  findUser(account: string, name: string): UserState | undefined {
    for (const u of this.users.values()) if (u.account === account && u.name === name) return u;
    return undefined;
  }

  /** Long-term key owner, or undefined. */
  keyUser(accessKeyId: string): UserState | undefined {
    const u = this.keyOwner.get(accessKeyId);
    return u?.keys.has(accessKeyId) === true ? u : undefined;
  }

  addKey(user: UserState, key: KeyState): void {
    user.keys.set(key.id, key);
    this.keyOwner.set(key.id, user);
  }

  deleteKey(user: UserState, id: string): void {
    user.keys.delete(id);
    this.keyOwner.delete(id);
  }

  /** Managed + inline + group policies of a user or role. */
  policiesOf(p: Principal): PolicyDocument[] {
    const acct = this.accounts.get(p.account);
    const managed = new Map((acct?.policies ?? []).map((pol) => [pol.name, pol.document]));
    const names: string[] = [];
    let inline: Record<string, PolicyDocument>;
    if (p.kind === "assumed-role") {
      names.push(...(p.role.world.policies ?? []));
      inline = p.role.world.inlinePolicies ?? {};
    } else {
      names.push(...p.user.policies);
      for (const g of p.user.groups) {
        names.push(...((acct?.groups ?? []).find((x) => x.name === g)?.policies ?? []));
      }
      inline = p.user.inlinePolicies;
    }
    // Attached AWS managed policies are kept by ARN (see iamAdmin.ts).
    const docs = names
      .map((n) => managed.get(n) ?? AWS_MANAGED.get(n))
      .filter((d) => d !== undefined);
    return [...docs, ...Object.values(inline)];
  }

  devicesOf(user: UserState): DeviceState[] {
    return [...this.devices.values()].filter(
      (d) => d.account === user.account && d.user === user.name,
    );
  }

  /** The code the device shows at `atMs` (default: now on the fake's clock). */
  totp(serial: string, atMs?: number): string {
    const d = this.devices.get(serial);
    if (d === undefined) throw new Error(`fake-aws: no MFA device ${serial}`);
    return totpAt(d.seed, atMs ?? this.now());
  }

  /**
   * A code the fake will accept now without advancing the clock: the first
   * step in the accepted window (one before now .. one after) newer than the
   * last code used. Throws when all three are spent: advance the clock 30 s.
   */
  freshTotp(serial: string): string {
    const d = this.devices.get(serial);
    if (d === undefined) throw new Error(`fake-aws: no MFA device ${serial}`);
    const now = totpCounter(this.now());
    // The current step first, then the next: a code of the previous step
    // would be refused if the 30 s boundary passed before it reached us
    // (flaky tests), and it is never usable once a newer one was accepted.
    for (const c of [now, now + 1]) {
      if (c > d.lastCounter) return totpAt(d.seed, c * TOTP_STEP_MS);
    }
    throw new Error(
      `fake-aws: every code in the window of ${serial} is used; advance the clock by 30 s`,
    );
  }

  /**
   * Validates and consumes a TOTP code for a device: wrong code, a code
   * outside one step of drift, a reused code or one older than the last
   * accepted all fail as AWS fails them.
   */
  useCode(device: DeviceState, code: string): void {
    const counter = matchTotp(device.seed, code, this.now());
    if (counter === undefined || counter <= device.lastCounter) throw faults.invalidMfaCode();
    device.lastCounter = counter;
  }

  newSession(principal: Principal, durationSeconds: number): SessionState {
    const s: SessionState = {
      accessKeyId: newAccessKeyId("ASIA"),
      secret: newSecret(),
      token: newSessionToken(),
      expiresMs: this.now() + Math.min(durationSeconds, this.maxSessionSeconds) * 1000,
      principal,
    };
    this.sessions.set(s.accessKeyId, s);
    return s;
  }
}
