import {
  consoleDestination,
  federationEndpoint,
  getSigninToken,
  signinUrl,
  type SessionCredentials,
} from "../../aws/federation.ts";
import { parseDuration } from "../../credentials/durations.ts";
import { planCredentials } from "../../credentials/getCredentials.ts";
import { planPartition } from "../../credentials/planPartition.ts";
import { AwsmfaError, usageError } from "../../errors.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { credentialRequest } from "../credentialFlags.ts";
import { openEngine } from "../engine.ts";
import { spinner } from "../spinner.ts";
import { terminalOverlays } from "../../platform/terminalOverlays.ts";

export const usage = `Usage: awsmfa login [<profile>] [-d DURATION] [-t CODE] [--region R] [--path P] [-s|--stdout]

Opens the AWS console in your browser, signed in with the profile's
credentials (default profile: $AWS_PROFILE).

  A role profile (role_arn): its role session goes to the sign-in
    federation endpoint, MFA and all, as 'exec' gets it.
  A profile without a role: its stored long-term keys call
    GetFederationToken, which carries NO MFA (STS takes no code there), with
    a session policy that allows everything, so the console has exactly
    your IAM user's own permissions. A policy that denies actions without
    MFA denies them in this console too: prefer a role profile.

  -d, --duration D    how long the console session lasts (900 s .. 12 h; 15m, 1h)
  -t, --mfa-token C   the MFA code, instead of asking on the terminal
  --region R          the console's region (default: the profile's)
  --path P            the console page to open, e.g. s3/home or ec2/home
  -s, --stdout        print the sign-in URL on stdout instead of opening it;
                        it signs anyone in who has it, for 15 minutes

AWSMFA_FEDERATION_ENDPOINT points at another federation endpoint (tests).
`;

export const options = {
  duration: { type: "string", short: "d" },
  "mfa-token": { type: "string", short: "t" },
  region: { type: "string" },
  path: { type: "string" },
  stdout: { type: "boolean", short: "s" },
} as const;

/** AWS's bounds on a console session (SessionDuration). */
const MIN_SECONDS = 900;
const MAX_SECONDS = 43_200;
/** GetFederationToken's length when -d is not given. */
const FEDERATION_DEFAULT_SECONDS = 3_600;
/** The session policy for GetFederationToken: the user's own permissions, nothing added. */
export const FEDERATION_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

export async function run(input: CommandInput): Promise<number> {
  const { ctx, debug } = input;
  const { values, positionals } = parseCommandArgs("login", input.argv, options);
  atMostPositionals("login", positionals, 1);
  const duration = consoleDuration(values.duration);
  // -d is the console session's length, checked here; the credentials
  // behind it are fetched as usual.
  const req = await credentialRequest(
    "login",
    positionals[0],
    values["mfa-token"] === undefined ? {} : { "mfa-token": values["mfa-token"] },
    input,
  );
  const engine = await openEngine(input);
  const storedKeys = new Set((await engine.store.list("keys")).map((r) => r.name));
  const plan = planCredentials(
    engine.config,
    { profile: req.profile },
    { storedKeys, env: ctx.env },
  );
  const final = plan.steps.at(-1);
  const region = values.region ?? plan.region;
  const partition = planPartition(plan, region);
  const endpoint = federationEndpoint(ctx.env, partition);
  // Checked before any credentials are fetched: a typo must not cost an MFA code.
  const destination = consoleDestination(partition, region, values.path);
  debug(`console destination ${destination}`);

  let session: SessionCredentials;
  let what: string;
  let sessionDuration: number | undefined;
  if (final?.kind === "role") {
    // A role session is what the console takes as it is, with the MFA its
    // chain proved.
    debug(
      `profile ${req.profile} ends at role ${final.roleArn}: its session goes to the federation endpoint`,
    );
    const creds = await engine.resolve(req);
    session = sessionOf(creds, req.profile);
    what = `role ${final.roleArn}`;
    sessionDuration = duration;
  } else {
    // No role: a GetSessionToken session (what mfa_serial alone gives) is
    // refused by the federation endpoint, so the long-term credentials are
    // used as they are, and an MFA code has nowhere to go: say so, and keep
    // it unspent.
    const { mfaToken, ...rest } = req;
    if (mfaToken !== undefined) {
      ctx.stderr(
        `awsmfa: warning: --mfa-token is not used: profile '${req.profile}' has no role, and GetFederationToken takes no MFA code. The code was not sent.\n`,
      );
    }
    const creds = await engine.resolve({ ...rest, noSession: true });
    if (creds.sessionToken !== undefined) {
      debug(
        `profile ${req.profile}: its credentials are temporary already; sending them as they are`,
      );
      session = sessionOf(creds, req.profile);
      what = `the temporary credentials of profile ${req.profile}`;
      sessionDuration = duration;
    } else {
      const seconds = duration ?? FEDERATION_DEFAULT_SECONDS;
      ctx.stderr(
        `awsmfa: profile '${req.profile}' has no role: signing in as a federated user with GetFederationToken.\n` +
          `  It carries NO MFA. Its session policy allows "*", so the console has your IAM user's own permissions and no more.\n`,
      );
      debug(
        `GetFederationToken at ${plan.endpoint.url} (${plan.endpoint.from}) for ${String(seconds)} s, policy ${FEDERATION_POLICY}`,
      );
      const { getFederationToken } = await import("../../aws/getFederationToken.ts");
      session = await shown(input, "getting a federation token", () =>
        getFederationToken({
          credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
          region: plan.stsRegion,
          endpoint: plan.endpoint.url,
          name: federatedUserName(req.profile),
          policy: FEDERATION_POLICY,
          durationSeconds: seconds,
        }),
      );
      what = `federated user ${federatedUserName(req.profile)}`;
      sessionDuration = undefined;
    }
  }
  debug(`sign-in token from ${endpoint.origin}${endpoint.pathname}`);
  const token = await shown(input, "getting a sign-in token", () =>
    getSigninToken({ fetch: globalThis.fetch }, endpoint, session, sessionDuration),
  );
  const url = signinUrl(endpoint, token, destination, "awsmfa");
  if (values.stdout === true) {
    ctx.stdout(`${url}\n`);
    return 0;
  }
  await openInBrowser(input, url);
  ctx.stderr(
    `awsmfa: opened the AWS console for profile '${req.profile}' (${what}) in your browser.\n`,
  );
  return 0;
}

/** A network wait, with a spinner when stderr is a terminal (as the engine's). */
async function shown<T>(input: CommandInput, what: string, wait: () => Promise<T>): Promise<T> {
  if (!input.ctx.stderrIsTty) return wait();
  const done = spinner({
    write: input.ctx.stderr,
    setInterval: (fn, ms) => setInterval(fn, ms).unref(),
    clearInterval,
    overlays: terminalOverlays,
  })(what);
  try {
    return await wait();
  } finally {
    done();
  }
}

function consoleDuration(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = parseDuration(raw);
  if (seconds === undefined) {
    throw usageError(
      `login: '${raw}' is not a duration.`,
      "Write it as seconds (3600) or with units: 15m, 1h, 1h30m, 900s.",
    );
  }
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw usageError(
      `login: a console session lasts 15m to 12h; '${raw}' is outside that.`,
      "Give -d between 15m and 12h.",
    );
  }
  return seconds;
}

function sessionOf(
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  profile: string,
): SessionCredentials {
  if (creds.sessionToken === undefined) {
    throw new AwsmfaError(
      "E_LOGIN_LONG_TERM",
      `login: profile '${profile}' gave long-term keys where a session was expected.`,
      { hint: "Run with --debug to see how the profile resolves." },
    );
  }
  return {
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
  };
}

/** GetFederationToken's Name: 2..32 of [\w+=,.@-], shown in the console. */
export function federatedUserName(profile: string): string {
  const name = profile.replace(/[^\w+=,.@-]/g, "-").slice(0, 32);
  return name.length >= 2 ? name : `awsmfa-${name}`;
}

/**
 * The platform's opener, as an argv array (never a shell: the URL's `&`
 * would split the command). Windows' `start` is a cmd built-in, so
 * url.dll's handler is called instead, as open-golang does.
 */
export function openerFor(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === "darwin") return ["open", [url]];
  if (platform === "win32") return ["rundll32", ["url.dll,FileProtocolHandler", url]];
  return ["xdg-open", [url]];
}

async function openInBrowser(input: CommandInput, url: string): Promise<void> {
  const [command, args] = openerFor(input.ctx.platform, url);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.ctx.env)) if (v !== undefined) env[k] = v;
  const failed = (why: string) =>
    new AwsmfaError("E_NO_BROWSER", `login: could not open the browser: ${command} ${why}.`, {
      hint: "Run 'awsmfa login PROFILE --stdout' and open the URL yourself (it works for 15 minutes).",
    });
  let result;
  try {
    result = await input.ctx.spawnInherit(command, args, env);
  } catch (e) {
    // Not the error itself: Node's spawn errors carry the argv, URL and all.
    const code: unknown = e instanceof Error ? Reflect.get(e, "code") : undefined;
    throw failed(code === "ENOENT" ? "is not installed (not on PATH)" : "could not be started");
  }
  if (result.code !== 0) {
    throw failed(
      result.code === null
        ? `was killed by ${result.signal ?? "a signal"}`
        : `exited with ${String(result.code)}`,
    );
  }
}
