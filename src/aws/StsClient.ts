/**
 * The STS calls the credential engine makes, as an interface. The real one
 * (src/aws/sts.ts) wraps @aws-sdk/client-sts and is only loaded when a call
 * is actually made (see stsFactory.ts); tests pass their own.
 */

/** Credentials to sign with: long-term keys (no session token) or temporary ones. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** What GetSessionToken and AssumeRole return. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface GetSessionTokenInput {
  readonly durationSeconds: number;
  readonly serialNumber?: string;
  readonly tokenCode?: string;
}

export interface SessionTag {
  readonly key: string;
  readonly value: string;
}

export interface AssumeRoleInput {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  readonly externalId?: string;
  readonly serialNumber?: string;
  readonly tokenCode?: string;
  readonly sourceIdentity?: string;
  readonly tags?: readonly SessionTag[];
  readonly transitiveTagKeys?: readonly string[];
}

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

/** One STS endpoint, signing with one set of credentials. */
export interface StsClient {
  getSessionToken(input: GetSessionTokenInput): Promise<TemporaryCredentials>;
  assumeRole(input: AssumeRoleInput): Promise<TemporaryCredentials>;
  getCallerIdentity(): Promise<CallerIdentity>;
}

/** Bounds on the network waits of one STS call. */
export interface StsTimeouts {
  /** Until the TCP (and TLS) connection is up, per attempt. */
  readonly connectMs: number;
  /** The whole call, retries included: from sending until the response is read. */
  readonly requestMs: number;
}

/** What production uses: a dead endpoint fails in seconds, not minutes. */
export const DEFAULT_STS_TIMEOUTS: StsTimeouts = { connectMs: 5_000, requestMs: 15_000 };

export interface StsClientOptions {
  readonly credentials: AwsCredentials;
  readonly region: string;
  /** Full URL; always given (the engine resolves the default regional endpoint itself). */
  readonly endpoint: string;
  /** Default DEFAULT_STS_TIMEOUTS. */
  readonly timeouts?: StsTimeouts;
}

/** Creates a client; must not do I/O or load the AWS SDK until a method is called. */
export type StsFactory = (options: StsClientOptions) => StsClient;
