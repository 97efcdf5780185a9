import { constants } from "node:os";
import { AwsmfaError } from "../../errors.ts";
import { buildChildEnv } from "../../output/childEnv.ts";
import { formatDuration } from "../../credentials/durations.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { credentialOptions, credentialRequest } from "../credentialFlags.ts";
import { openEngine } from "../engine.ts";
import { serveForExec, serverMode, serverOptions, type ExecServer } from "../serveForExec.ts";

export const usage = `Usage: awsmfa exec [<profile>] [-d DURATION] [-n] [-t CODE] [--region R]
                   [--server | --ecs-server | --ec2-server [--lazy]] [-- COMMAND ARGS...]

Runs COMMAND with temporary credentials for the profile (default:
$AWS_PROFILE) in its environment; without COMMAND, starts $SHELL.
The exit code is the command's.

  -d, --duration D    how long the credentials last (3600, 15m, 1h)
  -n, --no-session    long-term keys as stored, no session
  -t, --mfa-token C   the MFA code, instead of asking on the terminal
  --region R          AWS_REGION and AWS_DEFAULT_REGION for the command
  --server            serve the credentials on 127.0.0.1 (container-credentials
                      endpoint, refreshed before they expire) instead of
                      putting keys in the environment; --ecs-server is the same
  --ec2-server        the same as an EC2 instance metadata (IMDSv2) endpoint
  --lazy              with a server: get the credentials on the first request

Sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_CREDENTIAL_EXPIRATION, AWS_REGION, AWS_DEFAULT_REGION, AWSMFA_PROFILE,
AWS_VAULT; removes AWS_PROFILE, AWS_DEFAULT_PROFILE and AWS_SECURITY_TOKEN.
With --server: AWS_CONTAINER_CREDENTIALS_FULL_URI and
AWS_CONTAINER_AUTHORIZATION_TOKEN instead of keys; with --ec2-server:
AWS_EC2_METADATA_SERVICE_ENDPOINT.
`;

export const options = { ...credentialOptions, ...serverOptions } as const;

export async function run(input: CommandInput): Promise<number> {
  const { ctx } = input;
  const { values, positionals, passthrough } = parseCommandArgs("exec", input.argv, options);
  const mode = serverMode(values);
  // `awsmfa exec prof aws sts ...` without `--`: take what follows the profile as the command.
  const [profileArg, ...extra] = positionals;
  const command = passthrough ?? extra;
  if (passthrough !== undefined) atMostPositionals("exec", positionals, 1);
  const req = await credentialRequest("exec", profileArg, values, input);

  const engine = await openEngine(input);
  let env: Record<string, string>;
  let left: string;
  let server: ExecServer | undefined;
  if (mode === undefined) {
    const creds = await engine.resolve(req);
    env = buildChildEnv(ctx.env, creds, req.profile);
    left =
      creds.expiration === undefined
        ? "long-term keys, no expiry"
        : `expire in ${formatDuration((creds.expiration.getTime() - ctx.clock.now()) / 1000)} (${creds.expiration.toISOString()})`;
  } else {
    server = await serveForExec(input, engine, req, mode, values.lazy === true);
    env = server.env;
    left = `are served on ${server.url} and refreshed before they expire`;
  }

  let file: string;
  let args: string[];
  const [first, ...rest] = command;
  if (first === undefined) {
    file = ctx.env.SHELL ?? "/bin/sh";
    args = [];
    ctx.stderr(
      `awsmfa: starting ${file} with credentials for profile ${req.profile}; they ${left}. Type 'exit' to leave.\n`,
    );
  } else {
    file = first;
    args = rest;
  }
  input.debug(`running ${file} with credentials for ${req.profile}`);
  let result;
  try {
    result = await ctx.spawnInherit(file, args, env);
  } catch (e) {
    await server?.close();
    const code = e instanceof Error && "code" in e ? String(e.code) : "";
    throw new AwsmfaError(
      "E_EXEC",
      code === "ENOENT"
        ? `exec: command not found: ${file}`
        : `exec: could not run ${file}${code === "" ? "" : ` (${code})`}.`,
      { hint: "Check the command name and your PATH.", exitCode: code === "ENOENT" ? 127 : 126 },
    );
  }
  await server?.close();
  if (result.signal !== null) return 128 + constants.signals[result.signal];
  return result.code ?? 1;
}
