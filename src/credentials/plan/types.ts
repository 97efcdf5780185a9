/**
 * What a plan is made of: where the long-term credentials come from, and the
 * STS steps (a GetSessionToken session, AssumeRole hops) that follow, each
 * with its duration, MFA device and cache key decided up front.
 */
import type { SourceLocation } from "../../config/types.ts";
import type { ResolvedEndpoint } from "../../aws/endpoint.ts";
import type { SessionTag } from "../../aws/StsClient.ts";
import type { Duration } from "../durations.ts";
import type { Env } from "../types.ts";

export type LongTermSource =
  | { readonly kind: "stored-keys"; readonly profile: string }
  | {
      readonly kind: "static-keys";
      readonly profile: string;
      readonly where: SourceLocation;
      /** The file holds a session token too: temporary credentials. */
      readonly temporary: boolean;
    }
  | {
      readonly kind: "credential-process";
      readonly profile: string;
      readonly command: string;
      readonly where: SourceLocation | undefined;
    }
  | {
      /** HashiCorp Vault / OpenBao AWS secrets engine (vault_path; src/vault/). */
      readonly kind: "vault";
      readonly profile: string;
      readonly path: string;
      readonly where: SourceLocation | undefined;
      /** vault_path is mount/sts/NAME: always STS credentials with a session token. */
      readonly temporary: boolean;
      /**
       * The profile's mfa_serial on an sts/ path: the device the Vault role
       * names (mfa_serial_number); its code goes to Vault as mfa_code.
       */
      readonly mfa: MfaDevice | undefined;
    }
  | {
      /** IAM Identity Center: role credentials from the portal (temporary). */
      readonly kind: "sso";
      readonly profile: string;
      readonly where: SourceLocation;
    };

export interface MfaDevice {
  readonly serial: string;
  /** The profile that names the device. */
  readonly profile: string;
  readonly mfaProcess: { readonly command: string; readonly where?: SourceLocation } | undefined;
}

export interface SessionStep {
  readonly kind: "session";
  /** The profile whose long-term keys sign the call. */
  readonly sourceProfile: string;
  /** The profile that asked for the session (names mfa_serial or is the one requested). */
  readonly profile: string;
  readonly mfa: MfaDevice | undefined;
  readonly duration: Duration;
  readonly cacheKey: string;
}

export interface RoleStep {
  readonly kind: "role";
  readonly profile: string;
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly duration: Duration;
  /** Assumed with credentials from another role (AWS caps these at 1 h). */
  readonly chained: boolean;
  /** Set when this AssumeRole carries SerialNumber/TokenCode itself. */
  readonly mfa: MfaDevice | undefined;
  readonly externalId: string | undefined;
  readonly sourceIdentity: string | undefined;
  readonly tags: readonly SessionTag[];
  readonly transitiveTagKeys: readonly string[];
  readonly cacheKey: string;
}

export type PlanStep = SessionStep | RoleStep;

/** `Duration.from` of a step whose length the user asked for with -d. */
export const DURATION_FLAG = "-d";

export interface CredentialPlan {
  readonly profile: string;
  /** Profile names from the one asked for to the one holding the long-term credentials. */
  readonly chain: readonly string[];
  readonly source: LongTermSource;
  readonly steps: readonly PlanStep[];
  /** For the credentials handed out (AWS_REGION); undefined when nothing names one. */
  readonly region: string | undefined;
  /** The region STS calls are signed for. */
  readonly stsRegion: string;
  readonly endpoint: ResolvedEndpoint;
  /** Why each choice was made, in order, for --debug. */
  readonly notes: readonly string[];
}

export interface PlanContext {
  /** Profiles with long-term keys in the secret store. */
  readonly storedKeys: ReadonlySet<string>;
  readonly env: Env;
}
