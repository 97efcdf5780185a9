/**
 * The IAM calls MFA enrolment needs, as plain data in and out. The real one
 * (sdkIamClient.ts, over @aws-sdk/client-iam) is only ever loaded through a
 * dynamic import; tests may hand in their own.
 */
import type { AwsCredentials } from "../aws/StsClient.ts";

export interface IamUser {
  readonly userName: string;
  readonly arn: string;
}

export interface VirtualMfaDevice {
  readonly serialNumber: string;
  /** The Base32 seed: a secret. Never logged, written or put in argv. */
  readonly base32Seed: string;
}

export interface MfaDeviceInfo {
  readonly serialNumber: string;
  readonly enableDate: Date | undefined;
}

export interface IamClient {
  /** The calling user (GetUser without UserName). */
  getUser(): Promise<IamUser>;
  createVirtualMfaDevice(deviceName: string): Promise<VirtualMfaDevice>;
  enableMfaDevice(input: {
    readonly userName: string;
    readonly serialNumber: string;
    readonly code1: string;
    readonly code2: string;
  }): Promise<void>;
  deactivateMfaDevice(input: {
    readonly userName: string;
    readonly serialNumber: string;
  }): Promise<void>;
  deleteVirtualMfaDevice(serialNumber: string): Promise<void>;
  listMfaDevices(userName: string): Promise<MfaDeviceInfo[]>;
}

export interface IamClientOptions {
  readonly credentials: AwsCredentials;
  /** Full URL. */
  readonly endpoint: string;
  /** IAM signs for us-east-1 in the aws partition. */
  readonly region: string;
  /** Bound on each call, retries included. */
  readonly timeoutMs: number;
}

export type IamFactory = (options: IamClientOptions) => IamClient;
