/**
 * The IAM calls `rotate` makes, as an interface. The real one (iam.ts, over
 * @aws-sdk/client-iam) is loaded only when a call is made; tests pass their own.
 */
import type { AwsCredentials, StsTimeouts } from "./StsClient.ts";

export interface AccessKeyInfo {
  readonly accessKeyId: string;
  readonly status: string;
}

export interface NewAccessKey {
  readonly userName: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** IAM for the calling user (no UserName: the user the credentials belong to). */
export interface IamClient {
  listAccessKeys(): Promise<{ readonly userName: string; readonly keys: readonly AccessKeyInfo[] }>;
  createAccessKey(): Promise<NewAccessKey>;
  deleteAccessKey(accessKeyId: string): Promise<void>;
}

export interface IamClientOptions {
  readonly credentials: AwsCredentials;
  readonly region: string;
  readonly endpoint: string;
  readonly timeouts?: StsTimeouts;
}

export type IamFactory = (options: IamClientOptions) => IamClient;
