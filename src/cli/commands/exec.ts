import { constants } from "node:os";
import { AwsmfaError } from "../../errors.ts";
import { buildChildEnv } from "../../output/childEnv.ts";
import { formatDuration } from "../../credentials/durations.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { credentialOptions, credentialRequest } from "../credentialFlags.ts";
import { openEngine } from "../engine.ts";

export const usage = `Usage: awsmfa exec [<profile>] [-d DURATION] [-n] [-t CODE] [--region R] [-- COMMAND ARGS...]

Runs COMMAND with temporary credentials for the profile (default:
$AWS_PROFILE) in its environment; without COMMAND, starts $SHELL.
The exit code is the command's.

  -d, --duration D    how long the credentials last (3600, 15m, 1h)
  -n, --no-session    long-term keys as stored, no session
  -t, --mfa-token C   the MFA code, instead of asking on the terminal
  --region R          AWS_REGION and AWS_DEFAULT_REGION for the command

Sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_CREDENTIAL_EXPIRATION, AWS_REGION, AWS_DEFAULT_REGION, AWSMFA_PROFILE;
removes AWS_PROFILE, AWS_DEFAULT_PROFILE and AWS_SECURITY_TOKEN.
`;

export async function run(input: CommandInput): Promise<number> {
  const { ctx } = input;
  const { values, positionals, passthrough } = parseCommandArgs(
    "exec",
    input.argv,
    credentialOptions,
  );
  // `awsmfa exec prof aws sts ...` without `--`: take what follows the profile as the command.
  const [profileArg, ...extra] = positionals;
  const command = passthrough ?? extra;
  if (passthrough !== undefined) atMostPositionals("exec", positionals, 1);
  const req = await credentialRequest("exec", profileArg, values, input);

  const engine = await openEngine(input);
  const creds = await engine.resolve(req);
  const env = buildChildEnv(ctx.env, creds, req.profile);

  let file: string;
  let args: string[];
  const [first, ...rest] = command;
  if (first === undefined) {
    file = ctx.env.SHELL ?? "/bin/sh";
    args = [];
    const left =
      creds.expiration === undefined
        ? "long-term keys, no expiry"
        : `expire in ${formatDuration((creds.expiration.getTime() - ctx.clock.now()) / 1000)} (${creds.expiration.toISOString()})`;
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
    const code = e instanceof Error && "code" in e ? String(e.code) : "";
    throw new AwsmfaError(
      "E_EXEC",
      code === "ENOENT"
        ? `exec: command not found: ${file}`
        : `exec: could not run ${file}${code === "" ? "" : ` (${code})`}.`,
      { hint: "Check the command name and your PATH.", exitCode: code === "ENOENT" ? 127 : 126 },
    );
  }
  if (result.signal !== null) return 128 + constants.signals[result.signal];
  return result.code ?? 1;
}
