/** Shared bits for the fake-aws tests: the example world's principals and SDK v3 clients. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { STSClient } from "@aws-sdk/client-sts";
import { IAMClient } from "@aws-sdk/client-iam";
import type { FakeClock } from "../../fake-aws/clock.ts";
import { startFakeAws, type FakeAws } from "../../fake-aws/server.ts";

export const EXAMPLE_WORLD = fileURLToPath(
  new URL("../../fake-aws/worlds/example.json", import.meta.url),
);

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ALICE: Creds = {
  accessKeyId: "AKIAFAKEALICE0000001",
  secretAccessKey: "fake/alice/secret/key/not/real/000000001",
};
export const BOB: Creds = {
  accessKeyId: "AKIAFAKEBOB000000001",
  secretAccessKey: "fake/bob/secret/key/not/real/00000000001",
};
export const CAROL: Creds = {
  accessKeyId: "AKIAFAKECAROL0000001",
  secretAccessKey: "fake/carol/secret/key/not/real/000000001",
};
export const DAVE: Creds = {
  accessKeyId: "AKIAFAKEDAVE00000001",
  secretAccessKey: "fake/dave/secret/key/not/real/0000000001",
};
export const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
export const BOB_MFA = "arn:aws:iam::111111111111:mfa/bob";
export const CAROL_MFA = "arn:aws:iam::111111111111:mfa/carol";
export const ADMIN_ROLE = "arn:aws:iam::111111111111:role/admin";
export const READONLY_ROLE = "arn:aws:iam::111111111111:role/readonly";
export const PARTNER_ROLE = "arn:aws:iam::111111111111:role/partner";
export const DEPLOY_ROLE = "arn:aws:iam::111111111111:role/deploy";
export const CROSS_ROLE = "arn:aws:iam::222222222222:role/cross-admin";

/**
 * SDK clients that sign with the fake's clock (systemClockOffset), so moving
 * the fake's clock does not turn into "Signature expired". maxAttempts 1:
 * the SDK would otherwise retry skew errors after reading our Date header.
 */
export function clients(
  aws: FakeAws,
  creds: Creds,
  clock: FakeClock,
  extra: { systemClockOffset?: number } = {},
) {
  const config = {
    region: "us-east-1",
    endpoint: aws.url,
    credentials: creds,
    maxAttempts: 1,
    systemClockOffset: extra.systemClockOffset ?? clock.now() - Date.now(),
  };
  return { sts: new STSClient(config), iam: new IAMClient(config) };
}

export interface CaughtAwsError {
  name: string;
  message: string;
  status: number | undefined;
}

/** Runs a call that must fail and returns its error code, message and HTTP status. */
export async function failure(p: Promise<unknown>): Promise<CaughtAwsError> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const meta: unknown = Reflect.get(e, "$metadata");
    const status: unknown =
      typeof meta === "object" && meta !== null ? Reflect.get(meta, "httpStatusCode") : undefined;
    return {
      name: e.name,
      message: e.message,
      status: typeof status === "number" ? status : undefined,
    };
  }
  throw new Error("expected the call to fail, it succeeded");
}

export function credsOf(
  c:
    | {
        AccessKeyId?: string | undefined;
        SecretAccessKey?: string | undefined;
        SessionToken?: string | undefined;
      }
    | undefined,
): Creds {
  if (
    c?.AccessKeyId === undefined ||
    c.SecretAccessKey === undefined ||
    c.SessionToken === undefined
  ) {
    throw new Error("response has no credentials");
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  };
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a client process without blocking the event loop (the in-process fake
 * must keep answering while it runs). Input goes to stdin, never argv.
 */
export function run(
  cmd: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; input?: string },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => {
      resolve({ status: null, stdout, stderr: stderr + e.message });
    });
    child.on("close", (status) => {
      resolve({ status, stdout, stderr });
    });
    // A child that exits without reading its stdin closes the pipe first;
    // that EPIPE is not the test's failure.
    child.stdin.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") resolve({ status: null, stdout, stderr: stderr + e.message });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Why a client can't run here, or undefined when it can. */
export async function missingClient(cmd: string, args: string[]): Promise<string | undefined> {
  const r = await run(cmd, args, { env: process.env });
  return r.status === 0
    ? undefined
    : `${cmd} ${args.join(" ")}: ${r.stderr.trim() || `exit ${String(r.status)}`}`;
}

/** A value the response must have. */
export function must<T>(v: T | undefined, what = "value"): T {
  if (v === undefined) throw new Error(`response has no ${what}`);
  return v;
}

/**
 * The environment of an AWS client process (CLI, boto3) signing as alice:
 * its config files in home, no instance metadata, one attempt per call, and
 * nothing from the user's own AWS setup. Callers add how to reach the fake.
 */
export function aliceClientEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ACCESS_KEY_ID: ALICE.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
  };
}

/** Runs fn with a fake on the example world and an empty temporary HOME, both gone after. */
export async function withFakeAndHome(
  homePrefix: string,
  fn: (aws: FakeAws, home: string) => Promise<void> | void,
): Promise<void> {
  const aws = await startFakeAws({ world: EXAMPLE_WORLD });
  const home = mkdtempSync(join(tmpdir(), homePrefix));
  try {
    await fn(aws, home);
  } finally {
    rmSync(home, { recursive: true, force: true });
    await aws.stop();
  }
}
