/**
 * Test fixtures for the engine: config built in memory, an in-memory STS
 * double that checks MFA codes (single use) and records every call, and
 * EngineDeps with memoryStore + fixedClock.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AwsConfig, ProfileConfig, SourceLocation } from "../../src/config/types.ts";
import { AwsmfaError } from "../../src/errors.ts";
import type { SecretStore } from "../../src/store/SecretStore.ts";
import type {
  AssumeRoleInput,
  GetSessionTokenInput,
  StsClientOptions,
  StsFactory,
  TemporaryCredentials,
} from "../../src/aws/StsClient.ts";
import { StsError } from "../../src/aws/StsError.ts";
import type { EngineDeps } from "../../src/credentials/types.ts";
import type { RunProcess } from "../../src/platform/RunProcess.ts";
import { memoryStore } from "../helpers/memoryStore.ts";
import { fixedClock } from "../helpers/fixedClock.ts";

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

export const CONFIG_FILE = "/home/u/.aws/config";

export function prof(name: string, fields: Mutable<ProfileConfig> = {}): ProfileConfig {
  const where: Record<string, SourceLocation> = {};
  let line = 2;
  for (const k of [
    "region",
    "mfa_serial",
    "role_arn",
    "source_profile",
    "credential_process",
    "mfa_process",
    "duration_seconds",
    "role_session_name",
  ]) {
    where[k] = { file: CONFIG_FILE, line: line++ };
  }
  return {
    name,
    raw: {},
    where,
    location: { file: CONFIG_FILE, line: 1 },
    inConfig: true,
    inCredentials: false,
    ...fields,
  };
}

export function makeConfig(...profiles: ProfileConfig[]): AwsConfig {
  return {
    configFile: CONFIG_FILE,
    credentialsFile: "/home/u/.aws/credentials",
    profiles: new Map(profiles.map((p) => [p.name, p])),
    services: new Map(),
    diagnostics: () => [],
  };
}

export const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
export const ALICE_KEYS = { accessKeyId: "AKIAFAKEALICE0000001", secretAccessKey: "alice-secret" };

/** The seed 000 layout, with awsmfa in the base profile's credential_process. */
export function seed000Config(): AwsConfig {
  return makeConfig(
    prof("caktus", {
      credentialProcess: "awsmfa export --no-session --format credential-process caktus",
    }),
    prof("caktus-mfa", { mfaSerial: ALICE_MFA, sourceProfile: "caktus", region: "us-east-1" }),
    prof("saguaro-cluster", {
      roleArn: "arn:aws:iam::222222222222:role/CaktusAccountAccessRole-Admins",
      sourceProfile: "caktus-mfa",
      region: "us-east-1",
    }),
    prof("other-role", {
      roleArn: "arn:aws:iam::333333333333:role/Other",
      sourceProfile: "caktus-mfa",
    }),
  );
}

export interface StsCall {
  readonly op: "GetSessionToken" | "AssumeRole" | "GetCallerIdentity";
  readonly signer: string;
  readonly endpoint: string;
  readonly region: string;
  readonly input: GetSessionTokenInput | AssumeRoleInput | undefined;
}

/**
 * An STS double: valid codes are given up front and each is accepted once;
 * credentials expire on the test clock; issued session keys can be revoked.
 */
export function stsDouble(clock: { now(): number }, validCodes: string[] = ["123456"]) {
  const calls: StsCall[] = [];
  const codes = new Set(validCodes);
  const live = new Map<string, { expiresMs: number; chained: boolean }>();
  const revoked = new Set<string>();
  let n = 0;
  const issue = (seconds: number, chained: boolean): TemporaryCredentials => {
    n++;
    const id = `ASIATEST${String(n).padStart(12, "0")}`;
    const expiresMs = clock.now() + seconds * 1000;
    live.set(id, { expiresMs, chained });
    return {
      accessKeyId: id,
      secretAccessKey: `secret-${String(n)}`,
      sessionToken: `token-${String(n)}`,
      expiration: new Date(expiresMs),
    };
  };
  const fail = (kind: StsError["kind"], op: StsCall["op"], msg: string, awsCode: string) =>
    new StsError({ kind, operation: op, awsCode, awsMessage: msg, endpoint: "test" });
  const authenticate = (o: StsClientOptions, op: StsCall["op"]) => {
    const id = o.credentials.accessKeyId;
    if (id.startsWith("AKIA") && !revoked.has(id)) return "user";
    const s = live.get(id);
    if (s === undefined || revoked.has(id))
      throw fail("invalid-client-token", op, "bad token", "InvalidClientTokenId");
    if (s.expiresMs <= clock.now()) throw fail("expired-token", op, "expired", "ExpiredToken");
    return "temporary";
  };
  const checkCode = (op: StsCall["op"], serial?: string, code?: string) => {
    if (serial === undefined) return;
    if (code === undefined || !codes.has(code)) {
      throw fail(
        "mfa-rejected",
        op,
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
        "AccessDenied",
      );
    }
    codes.delete(code);
  };
  const factory: StsFactory = (o) => ({
    getSessionToken: (input) => {
      calls.push({
        op: "GetSessionToken",
        signer: o.credentials.accessKeyId,
        endpoint: o.endpoint,
        region: o.region,
        input,
      });
      return Promise.resolve().then(() => {
        if (authenticate(o, "GetSessionToken") !== "user") {
          throw fail(
            "access-denied",
            "GetSessionToken",
            "Cannot call GetSessionToken with session credentials",
            "AccessDenied",
          );
        }
        checkCode("GetSessionToken", input.serialNumber, input.tokenCode);
        return issue(input.durationSeconds, false);
      });
    },
    assumeRole: (input) => {
      calls.push({
        op: "AssumeRole",
        signer: o.credentials.accessKeyId,
        endpoint: o.endpoint,
        region: o.region,
        input,
      });
      return Promise.resolve().then(() => {
        const kind = authenticate(o, "AssumeRole");
        if (kind !== "user" && input.durationSeconds > 3600) {
          throw fail(
            "validation",
            "AssumeRole",
            "exceeds the 1 hour session limit for roles assumed by role chaining",
            "ValidationError",
          );
        }
        checkCode("AssumeRole", input.serialNumber, input.tokenCode);
        return issue(input.durationSeconds, kind !== "user");
      });
    },
    getCallerIdentity: () => {
      calls.push({
        op: "GetCallerIdentity",
        signer: o.credentials.accessKeyId,
        endpoint: o.endpoint,
        region: o.region,
        input: undefined,
      });
      return Promise.resolve({
        account: "111111111111",
        arn: "arn:aws:iam::111111111111:user/alice",
        userId: "AIDA",
      });
    },
  });
  return {
    factory,
    calls,
    addCode: (c: string) => codes.add(c),
    revoke: (id: string) => revoked.add(id),
    ops: () => calls.map((c) => c.op),
  };
}

export interface TestDeps extends EngineDeps {
  readonly clock: ReturnType<typeof fixedClock>;
  readonly debugLines: string[];
  readonly warnLines: string[];
  readonly prompts: string[];
}

export const T0 = Date.parse("2024-06-01T09:00:00Z");

export function makeDeps(
  config: AwsConfig,
  sts: StsFactory,
  opts: {
    store?: SecretStore;
    env?: Record<string, string | undefined>;
    promptAnswers?: string[];
    runProcess?: RunProcess;
    clock?: ReturnType<typeof fixedClock>;
  } = {},
): TestDeps {
  const debugLines: string[] = [];
  const warnLines: string[] = [];
  const prompts: string[] = [];
  const answers = [...(opts.promptAnswers ?? [])];
  return {
    clock: opts.clock ?? fixedClock(T0),
    env: opts.env ?? { USER: "alice" },
    homedir: "/home/u",
    config,
    store: opts.store ?? memoryStore(),
    lockDir: join(mkdtempSync(join(tmpdir(), "awsmfa-locks-")), "locks"),
    debug: (m) => debugLines.push(m),
    debugLines,
    warn: (m) => warnLines.push(m),
    warnLines,
    prompts,
    mfa: {
      prompt: (q) => {
        prompts.push(q);
        const a = answers.shift();
        if (a === undefined) {
          return Promise.reject(new AwsmfaError("E_NO_TTY", "No terminal to ask on."));
        }
        return Promise.resolve(a);
      },
    },
    runProcess:
      opts.runProcess ??
      (() => Promise.reject(new Error("runProcess was not expected in this test"))),
    sts,
  };
}

export async function storeKeys(
  store: SecretStore,
  profile: string,
  keys: { accessKeyId: string; secretAccessKey: string } = ALICE_KEYS,
): Promise<void> {
  await store.set("keys", profile, JSON.stringify(keys));
}
