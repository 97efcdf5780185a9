/**
 * Shared set-up for the black-box CLI tests: one in-process fake-aws with a
 * manual clock, one sandbox HOME pointed at it, the example world's alice,
 * and an `awsmfa` shim on PATH for tools that call us back
 * (credential_process, nested exec).
 */
import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freshCode, manualClock, type ManualClock } from "../../fake-aws/clock.ts";
import { startFakeAws, type FakeAws, type FakeAwsOptions } from "../../fake-aws/server.ts";
import type { CallRecord } from "../../fake-aws/state.ts";
import { BIN, makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { EXAMPLE_WORLD } from "../fake-aws/helpers.ts";

export const ALICE = {
  accessKeyId: "AKIAFAKEALICE0000001",
  secretAccessKey: "fake/alice/secret/key/not/real/000000001",
} as const;
export const BOB = {
  accessKeyId: "AKIAFAKEBOB000000001",
  secretAccessKey: "fake/bob/secret/key/not/real/00000000001",
} as const;
export const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
export const ALICE_ARN = "arn:aws:iam::111111111111:user/alice";
export const ADMIN_ROLE = "arn:aws:iam::111111111111:role/admin";
export const READONLY_ROLE = "arn:aws:iam::111111111111:role/readonly";
export const CROSS_ROLE = "arn:aws:iam::222222222222:role/cross-admin";

/** Seed 000 exactly as written, with awsmfa in place of aws-vault. */
export function seed000Config(): string {
  return `; Caktus Managed AWS
[profile caktus]
credential_process=awsmfa export --no-session --format credential-process caktus

[profile caktus-mfa]
mfa_serial=${ALICE_MFA}
source_profile=caktus
region=us-east-1
output=json

; Assume Role setup

[profile admin]
role_arn=${ADMIN_ROLE}
source_profile=caktus-mfa
region=us-east-1

[profile cross]
role_arn=${CROSS_ROLE}
source_profile=caktus-mfa
`;
}

export interface World {
  readonly aws: FakeAws;
  readonly clock: ManualClock;
  readonly sb: Sandbox;
  /** A directory with an `awsmfa` shim, first on the sandbox's PATH. */
  readonly binDir: string;
  /** A TOTP code the fake will accept now; moves the fake's clock a step when the window is spent. */
  code(serial?: string): string;
  /** Adds alice's long-term keys under a profile (fails the test if it fails). */
  addAlice(profile: string): Promise<void>;
  stop(): Promise<void>;
}

/** `fake`: more fake-aws options (a fake Vault, ...). */
export async function startWorld(
  fake: Omit<FakeAwsOptions, "world" | "clock"> = {},
): Promise<World> {
  const clock = manualClock(Date.now());
  const aws = await startFakeAws({ ...fake, world: EXAMPLE_WORLD, clock });
  const sb = await makeSandbox();
  const binDir = join(sb.home, "bin");
  await mkdir(binDir);
  const shim = join(binDir, "awsmfa");
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(shim, 0o755);
  Object.assign(sb.env, {
    PATH: `${binDir}:${sb.env.PATH ?? "/usr/bin:/bin"}`,
    AWS_ENDPOINT_URL_STS: aws.url,
    AWS_ENDPOINT_URL_IAM: aws.url,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
  });
  const code = (serial = ALICE_MFA): string => freshCode(aws, clock, serial);
  return {
    aws,
    clock,
    sb,
    binDir,
    code,
    async addAlice(profile) {
      const r = await sb.run(["add", profile, "--env", "--force"], {
        env: { AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey },
      });
      if (r.code !== 0) throw new Error(`add ${profile} failed: ${r.stderr}`);
    },
    async stop() {
      await aws.stop();
      await sb.cleanup();
    },
  };
}

/** Calls of one action since the log was last cleared. */
export function callsOf(aws: FakeAws, action: string): CallRecord[] {
  return aws.calls().filter((c) => c.action === action);
}

/** The one call of an action since the log was last cleared (fails unless exactly one). */
export function onlyCall(aws: FakeAws, action: string): CallRecord {
  const calls = callsOf(aws, action);
  const [first] = calls;
  if (calls.length !== 1 || first === undefined) {
    throw new Error(`expected one ${action} call, got ${calls.length}`);
  }
  return first;
}

/** Every file under a directory with its bytes, for "nothing on disk changed" checks. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const p = join(d, name);
      const s = await stat(p);
      if (s.isDirectory()) await walk(p);
      else out.set(p, (await readFile(p)).toString("base64"));
    }
  };
  await walk(dir);
  return out;
}

/** The credential_process JSON a client reads, checked for shape. */
export interface ProcessCreds {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

export function parseProcessCreds(stdout: string): ProcessCreds {
  const v: unknown = JSON.parse(stdout);
  if (typeof v !== "object" || v === null) throw new Error(`not an object: ${stdout}`);
  const get = (k: string): unknown => Reflect.get(v, k);
  const str = (k: string): string => {
    const x = get(k);
    if (typeof x !== "string" || x === "") throw new Error(`${k} missing in ${stdout}`);
    return x;
  };
  if (get("Version") !== 1) throw new Error(`Version is not 1: ${stdout}`);
  return {
    Version: 1,
    AccessKeyId: str("AccessKeyId"),
    SecretAccessKey: str("SecretAccessKey"),
    SessionToken: str("SessionToken"),
    Expiration: str("Expiration"),
  };
}

/** A field of parsed JSON, or undefined. */
export function field(v: unknown, name: string): unknown {
  return typeof v === "object" && v !== null ? Reflect.get(v, name) : undefined;
}

/** Says loudly on stderr that a test could not run, and marks it skipped. */
export function skipLoudly(t: { skip(message: string): void }, why: string): void {
  process.stderr.write(`\n!!! SKIPPED: ${why}\n`);
  t.skip(why);
}

export interface MfaProcessWorld {
  /** Appended to each time the counting mfa_process is asked for a code. */
  readonly askedFile: string;
  /** What the counting mfa_process prints (the test writes the code there). */
  readonly codeFile: string;
  /** Created when the slow mfa_process starts (it then waits and prints a bad code). */
  readonly startedFile: string;
}

/**
 * Profiles whose MFA codes come from mfa_process scripts a test controls:
 * `mfa` (and the role `admin` on it) counts each question and prints the
 * code in codeFile; `mfa-slow` (and `admin-slow`) signals that it started,
 * then holds its lock for `slowSeconds`. Alice's keys are stored under
 * `base` and `base2`.
 */
export async function useMfaProcesses(w: World, slowSeconds: number): Promise<MfaProcessWorld> {
  const askedFile = join(w.sb.home, "mfa-asked");
  const codeFile = join(w.sb.home, "the-code");
  const startedFile = join(w.sb.home, "slow-started");
  const mfa = join(w.binDir, "mfa-count");
  await writeFile(mfa, `#!/bin/sh\necho asked >> '${askedFile}'\ncat '${codeFile}'\n`);
  const slow = join(w.binDir, "mfa-slow");
  await writeFile(
    slow,
    `#!/bin/sh\n: > '${startedFile}'\nsleep ${String(slowSeconds)}\necho 000000\n`,
  );
  await chmod(mfa, 0o755);
  await chmod(slow, 0o755);
  await w.sb.writeConfig(`[profile base]

[profile mfa]
mfa_serial = ${ALICE_MFA}
source_profile = base
mfa_process = ${mfa}

[profile admin]
role_arn = ${ADMIN_ROLE}
source_profile = mfa

[profile base2]

[profile mfa-slow]
mfa_serial = ${ALICE_MFA}
source_profile = base2
mfa_process = ${slow}

[profile admin-slow]
role_arn = ${ADMIN_ROLE}
source_profile = mfa-slow
`);
  await w.addAlice("base");
  await w.addAlice("base2");
  return { askedFile, codeFile, startedFile };
}
