/**
 * `exec --server` / `--ecs-server` / `--ec2-server`: builds a local
 * credential server on the engine and the child environment that points at
 * it. The server lives as long as the child; every refresh goes through the
 * engine (its cache, its lock, one MFA prompt on the terminal).
 */
import { createHash } from "node:crypto";
import { AwsmfaError, usageError } from "../errors.ts";
import { planCredentials } from "../credentials/getCredentials.ts";
import { defaultRoleSessionName } from "../credentials/roleSessionName.ts";
import type { CredentialRequest, ResolvedCredentials } from "../credentials/types.ts";
import { containerHandler } from "../server/containerHandler.ts";
import { imdsHandler, type ImdsIdentity } from "../server/imdsHandler.ts";
import { imdsTokens } from "../server/imdsTokens.ts";
import { listenLoopback } from "../server/listenLoopback.ts";
import { refreshingCredentials } from "../server/refreshingCredentials.ts";
import { roleCredentials } from "../server/roleCredentials.ts";
import type { ServedCredentials } from "../server/servedCredentials.ts";
import { serverChildEnv } from "../server/serverChildEnv.ts";
import { newServerToken } from "../server/token.ts";
import { stsFactory } from "../aws/stsFactory.ts";
import type { CommandInput } from "./command.ts";
import type { EngineSession } from "./engine.ts";

export type ServerMode = "container" | "imds";

export const serverOptions = {
  server: { type: "boolean" },
  "ecs-server": { type: "boolean" },
  "ec2-server": { type: "boolean" },
  lazy: { type: "boolean" },
} as const;

export interface ServerFlagValues {
  readonly server?: boolean | undefined;
  readonly "ecs-server"?: boolean | undefined;
  readonly "ec2-server"?: boolean | undefined;
  readonly lazy?: boolean | undefined;
}

/** The server the flags ask for, or undefined; a usage error for combinations that make no sense. */
export function serverMode(values: ServerFlagValues): ServerMode | undefined {
  const container = values.server === true || values["ecs-server"] === true;
  const imds = values["ec2-server"] === true;
  if (container && imds) {
    throw usageError(
      "exec: --ec2-server and --server (--ecs-server) cannot be used together.",
      "Pick one: --server for the container-credentials endpoint (any current SDK), --ec2-server for the instance metadata one.",
    );
  }
  if (values.lazy === true && !container && !imds) {
    throw usageError(
      "exec: --lazy only applies to a credential server.",
      "Add --server (or --ec2-server), or leave out --lazy.",
    );
  }
  return container ? "container" : imds ? "imds" : undefined;
}

export interface ExecServer {
  readonly env: Record<string, string>;
  readonly url: string;
  close(): Promise<void>;
}

export async function serveForExec(
  input: CommandInput,
  engine: EngineSession,
  req: CredentialRequest,
  mode: ServerMode,
  lazy: boolean,
): Promise<ExecServer> {
  const { ctx } = input;
  const refs = await engine.store.list();
  const storedKeys = new Set(refs.filter((r) => r.kind === "keys").map((r) => r.name));
  // The plan without any fetch: a bad profile fails here, before a server
  // starts, --lazy or not; and it says where STS is for /role-arn/.
  const plan = planCredentials(engine.config, req, { storedKeys, env: ctx.env });
  const warn = (message: string) => {
    ctx.stderr(`awsmfa: warning: ${message}\n`);
  };

  // -t is one code, used once: refreshes ask the terminal or mfa_process.
  const later = withoutMfaToken(req);
  let first = true;
  const profile = refreshingCredentials({
    clock: ctx.clock,
    warn,
    fetch: async () => {
      const r = first ? req : later;
      first = false;
      const creds = served(await engine.resolve(r), req.profile);
      input.debug(
        `credential server: credentials for ${req.profile} until ${creds.expiration.toISOString()}`,
      );
      return creds;
    },
  });
  if (!lazy) await profile.get();

  if (mode === "container") {
    const token = newServerToken();
    const roles = roleCredentials({
      clock: ctx.clock,
      base: profile,
      warn,
      assumeRole: async (base, roleArn) => {
        input.debug(
          `credential server: assuming ${roleArn} from the credentials of ${req.profile}`,
        );
        return stsFactory({
          credentials: base,
          region: plan.stsRegion,
          endpoint: plan.endpoint.url,
        }).assumeRole({
          roleArn,
          roleSessionName: defaultRoleSessionName(ctx.env),
          // Assumed from temporary credentials: AWS caps a chained role at 1 h.
          durationSeconds: 3600,
        });
      },
    });
    const server = await listenLoopback((port) =>
      containerHandler({ port, token, profile, roles, debug: input.debug, warn }),
    );
    input.debug(`credential server (container credentials) for ${req.profile} on ${server.url}`);
    return {
      env: serverChildEnv(ctx.env, req.profile, plan.region, {
        kind: "container",
        url: server.url,
        token: token.value,
      }),
      url: server.url,
      close: () => server.close(),
    };
  }

  const identity: ImdsIdentity = {
    roleName: `awsmfa-${req.profile}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64),
    accountId: accountOf(engine, plan.chain) ?? "000000000000",
    region: plan.region,
    instanceId: `i-${createHash("sha256").update(req.profile).digest("hex").slice(0, 17)}`,
  };
  const server = await listenLoopback((port) =>
    imdsHandler({
      port,
      clock: ctx.clock,
      tokens: imdsTokens(ctx.clock),
      profile,
      identity,
      debug: input.debug,
      warn,
    }),
  );
  input.debug(`credential server (instance metadata, IMDSv2) for ${req.profile} on ${server.url}`);
  return {
    env: serverChildEnv(ctx.env, req.profile, plan.region, { kind: "imds", url: server.url }),
    url: server.url,
    close: () => server.close(),
  };
}

function withoutMfaToken(req: CredentialRequest): CredentialRequest {
  const { profile, durationSeconds, noSession, region } = req;
  return {
    profile,
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    ...(noSession === undefined ? {} : { noSession }),
    ...(region === undefined ? {} : { region }),
  };
}

/** Temporary credentials, or a clear error: the SDKs take nothing else from these servers. */
function served(c: ResolvedCredentials, profile: string): ServedCredentials {
  if (c.sessionToken === undefined || c.expiration === undefined) {
    throw new AwsmfaError(
      "E_SERVER_LONG_TERM",
      `exec: profile ${profile} gives long-term keys (no session token, no expiry), which a credential server cannot hand out: the SDKs accept only temporary credentials from it.`,
      { hint: "Leave out --no-session, or run exec without --server.", exitCode: 2 },
    );
  }
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
    expiration: c.expiration,
  };
}

/** The account of the first role or MFA device along the chain, for the instance identity document. */
function accountOf(engine: EngineSession, chain: readonly string[]): string | undefined {
  for (const name of chain) {
    const p = engine.config.profiles.get(name);
    for (const arn of [p?.roleArn, p?.mfaSerial]) {
      const account = /^arn:[\w-]+:iam::(\d{12}):/.exec(arn ?? "")?.[1];
      if (account !== undefined) return account;
    }
  }
  return undefined;
}
