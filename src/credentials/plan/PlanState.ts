/**
 * The plan as it grows, one profile of the chain at a time (from the one
 * holding the long-term keys towards the one asked for). Immutable: every
 * rule returns a new state, so a rule can be read and tested on its own.
 */
import type { ProfileConfig } from "../../config/types.ts";
import type { Duration } from "../durations.ts";
import type { CredentialRequest, Env } from "../types.ts";
import type { LongTermSource, MfaDevice, PlanStep } from "./types.ts";

export interface PlanState {
  /** What signs the next STS call: the long-term keys, a session, or a role's credentials. */
  readonly holding: "long-term" | "session" | "role";
  readonly steps: readonly PlanStep[];
  /** MFA devices already proven in this chain: later steps need no second code. */
  readonly proven: ReadonlySet<string>;
  /** An mfa_serial on a profile without role_arn, waiting to see what follows. */
  readonly pending: MfaDevice | undefined;
  /** What the next role's credentials depend on (part of its cache key). */
  readonly upstream: unknown;
  /** The MFA device that proved the chain so far (named in role cache keys). */
  readonly chainSerial: string | undefined;
  readonly notes: readonly string[];
}

/** What every rule may read and none changes. */
export interface PlanInputs {
  readonly chain: readonly ProfileConfig[];
  /** Index in `chain` of the profile holding the long-term credentials. */
  readonly base: number;
  readonly source: LongTermSource;
  readonly req: CredentialRequest;
  readonly env: Env;
  /** -d, for the credentials handed out. */
  readonly flag: Duration | undefined;
  readonly sessionEnv: Duration | undefined;
  readonly chainedSessionEnv: Duration | undefined;
  readonly roleEnv: Duration | undefined;
}

/** One profile of the chain, as a rule sees it. */
export interface Hop {
  readonly profile: ProfileConfig;
  /** Its index in the chain (0 is the profile asked for). */
  readonly index: number;
  /** The device this profile names itself (mfa_serial), if any. */
  readonly own: MfaDevice | undefined;
  /** For a role profile: its role and the duration asked for it (already checked). */
  readonly role: { readonly arn: string; readonly duration: Duration } | undefined;
}

/** Returns the new state, or undefined when the rule does not apply to this hop. */
export type HopRule = (s: PlanState, inputs: PlanInputs, hop: Hop) => PlanState | undefined;

export function initialState(source: LongTermSource, notes: readonly string[]): PlanState {
  // A device Vault checked (mfa_code) already proved the chain.
  const proved = source.kind === "vault" ? source.mfa?.serial : undefined;
  return {
    // Temporary keys (in the file, or STS credentials from Vault) already are
    // a session: no GetSessionToken on them. IAM Identity Center hands out a
    // role's credentials: a role assumed with them is chained (AWS caps it at 1 h).
    holding: source.kind === "sso" ? "role" : sourceIsTemporary(source) ? "session" : "long-term",
    steps: [],
    proven: new Set(proved === undefined ? [] : [proved]),
    pending: undefined,
    upstream: { source: source.kind, profile: source.profile },
    chainSerial: proved,
    notes,
  };
}

export function note(s: PlanState, text: string): PlanState {
  return { ...s, notes: [...s.notes, text] };
}

export function prove(s: PlanState, serial: string): PlanState {
  return { ...s, proven: new Set([...s.proven, serial]), chainSerial: serial };
}

export function sourceIsTemporary(source: LongTermSource): boolean {
  return (
    ((source.kind === "static-keys" || source.kind === "vault") && source.temporary) ||
    source.kind === "sso"
  );
}
