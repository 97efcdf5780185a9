/**
 * The AWS console sign-in federation endpoint: temporary credentials in,
 * a SigninToken out (getSigninToken), and the sign-in URL built from it
 * (Action=login). The URL holds the token, which signs anyone who has it in
 * for 15 minutes: callers must never log it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html
 */
import { AwsmfaError } from "../errors.ts";
import { nonBlank, type Env } from "../platform/env.ts";

export type Partition = "aws" | "aws-cn" | "aws-us-gov";

/** The variable that points login at another federation endpoint (tests, fake-aws). */
export const FEDERATION_ENDPOINT_VAR = "AWSMFA_FEDERATION_ENDPOINT";

/** How long the sign-in endpoint waits for an answer before giving up. */
export const FEDERATION_TIMEOUT_MS = 15_000;

const HOSTS: Readonly<Record<Partition, { signin: string; console: string }>> = {
  aws: { signin: "signin.aws.amazon.com", console: "console.aws.amazon.com" },
  "aws-cn": { signin: "signin.amazonaws.cn", console: "console.amazonaws.cn" },
  "aws-us-gov": {
    signin: "signin.amazonaws-us-gov.com",
    console: "console.amazonaws-us-gov.com",
  },
};

/**
 * The partition: the region says it when there is one (cn-*, us-gov-*);
 * else an ARN from the profile (role_arn, mfa_serial) does; else "aws".
 */
export function partitionOf(region: string | undefined, arns: readonly string[] = []): Partition {
  if (region !== undefined) {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
  }
  for (const arn of arns) {
    const p = /^arn:(aws|aws-cn|aws-us-gov):/.exec(arn)?.[1];
    if (p === "aws" || p === "aws-cn" || p === "aws-us-gov") return p;
  }
  return "aws";
}

/** The federation endpoint: AWSMFA_FEDERATION_ENDPOINT, else the partition's. */
export function federationEndpoint(env: Env, partition: Partition): URL {
  const configured = nonBlank(env[FEDERATION_ENDPOINT_VAR]);
  if (configured === undefined) return new URL(`https://${HOSTS[partition].signin}/federation`);
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AwsmfaError(
      "E_FEDERATION_ENDPOINT",
      `${FEDERATION_ENDPOINT_VAR} is not an http(s) URL: '${configured}'.`,
      {
        hint: `Set it to the federation endpoint's URL (https://signin.aws.amazon.com/federation), or unset it.`,
      },
    );
  }
  return url;
}

/**
 * Where the console opens: the partition's console, in `region` when one is
 * given, at `path` (e.g. "s3/home") when one is given. `path` stays on the
 * console's host: a scheme or a host in it is refused.
 */
export function consoleDestination(
  partition: Partition,
  region: string | undefined,
  path: string | undefined,
): string {
  const host = HOSTS[partition].console;
  const trimmed = path?.replace(/^\/+/, "");
  if (trimmed !== undefined && (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.includes("\\"))) {
    throw new AwsmfaError("E_USAGE", `login: --path '${path ?? ""}' is not a console path.`, {
      exitCode: 2,
      hint: "Give the part after the console's host, for example --path s3/home or --path ec2/home#Instances:.",
    });
  }
  if (region === undefined) return `https://${host}/${trimmed ?? ""}`;
  const page = trimmed === undefined || trimmed === "" ? "console/home" : trimmed;
  // region= before any #fragment, after any query the path has.
  const hash = page.indexOf("#");
  const [before, fragment] = hash < 0 ? [page, ""] : [page.slice(0, hash), page.slice(hash)];
  const sep = before.includes("?") ? "&" : "?";
  return `https://${region}.${host}/${before}${sep}region=${encodeURIComponent(region)}${fragment}`;
}

export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

export interface FederationDeps {
  readonly fetch: typeof fetch;
  readonly timeoutMs?: number;
}

/**
 * Swaps role or federated-user session credentials for a SigninToken.
 * `sessionDurationSeconds` sets how long the console session lasts (only
 * for role sessions: AWS ignores it for GetFederationToken ones).
 */
export async function getSigninToken(
  deps: FederationDeps,
  endpoint: URL,
  creds: SessionCredentials,
  sessionDurationSeconds: number | undefined,
): Promise<string> {
  const url = new URL(endpoint);
  url.searchParams.set("Action", "getSigninToken");
  if (sessionDurationSeconds !== undefined) {
    url.searchParams.set("SessionDuration", String(sessionDurationSeconds));
  }
  url.searchParams.set(
    "Session",
    JSON.stringify({
      sessionId: creds.accessKeyId,
      sessionKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
    }),
  );
  const where = `${endpoint.origin}${endpoint.pathname}`;
  const timeoutMs = deps.timeoutMs ?? FEDERATION_TIMEOUT_MS;
  let response: Response;
  let body: string;
  try {
    // The credentials travel in the query string, as AWS documents it; the
    // URL is never logged.
    response = await deps.fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    body = await response.text();
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    throw new AwsmfaError(
      "E_FEDERATION_UNREACHABLE",
      timedOut
        ? `The sign-in endpoint ${where} did not answer within ${String(timeoutMs / 1000)} s.`
        : `Could not reach the sign-in endpoint ${where}${e instanceof Error && typeof Reflect.get(e, "cause") === "object" ? `: ${describeCause(e)}` : ""}.`,
      { hint: `Check the network (and ${FEDERATION_ENDPOINT_VAR} if you set it), then run again.` },
    );
  }
  if (!response.ok) {
    const said = firstLine(body);
    const sessionType = /GetSessionToken|InvalidSessionType/i.test(body);
    throw new AwsmfaError(
      "E_FEDERATION_REFUSED",
      `The sign-in endpoint ${where} refused the session (HTTP ${String(response.status)}${said === "" ? "" : `: ${said}`}).`,
      {
        hint: sessionType
          ? "The console accepts only role or federated-user sessions: give login a profile with role_arn, or one whose own keys are stored (for GetFederationToken)."
          : "The credentials may have expired or lack permission: run 'awsmfa clear PROFILE' and try again.",
      },
    );
  }
  let token: unknown;
  try {
    const parsed: unknown = JSON.parse(body);
    token =
      typeof parsed === "object" && parsed !== null
        ? Reflect.get(parsed, "SigninToken")
        : undefined;
  } catch {
    token = undefined;
  }
  if (typeof token !== "string" || token === "") {
    throw new AwsmfaError(
      "E_FEDERATION_REFUSED",
      `The sign-in endpoint ${where} answered without a SigninToken.`,
      { hint: `Check ${FEDERATION_ENDPOINT_VAR} if you set it; else try again later.` },
    );
  }
  return token;
}

/** The sign-in URL. It holds the token: print it or open it, never log it. */
export function signinUrl(
  endpoint: URL,
  token: string,
  destination: string,
  issuer: string,
): string {
  const url = new URL(endpoint);
  url.search = "";
  url.searchParams.set("Action", "login");
  url.searchParams.set("Issuer", issuer);
  url.searchParams.set("Destination", destination);
  url.searchParams.set("SigninToken", token);
  return url.toString();
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  // An HTML error page says nothing useful in its first line.
  if (line.startsWith("<")) return "";
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

function describeCause(e: Error): string {
  const cause: unknown = Reflect.get(e, "cause");
  if (cause instanceof Error) {
    const code: unknown = Reflect.get(cause, "code");
    return typeof code === "string" ? code : cause.message;
  }
  return e.message;
}
