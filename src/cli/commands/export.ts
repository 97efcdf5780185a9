import { usageError } from "../../errors.ts";
import { formatEnv } from "../../output/formatEnv.ts";
import { formatCredentialProcess, formatIni, formatJson } from "../../output/formatJson.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { credentialRequest } from "../credentialFlags.ts";
import { exportOptions, FORMATS, type ExportFormat } from "../exportOptions.ts";
import { openEngine } from "../engine.ts";

export const usage = `Usage: awsmfa export [<profile>] [--format F] [-d DURATION] [-n] [-t CODE] [--region R]

Prints credentials for a profile (default: $AWS_PROFILE) on stdout.

  --format F          export-env (default): export NAME='value' lines, for
                        eval "$(awsmfa export PROFILE)" in bash and zsh
                      env: NAME='value' lines (dotenv, 'set -a; . file')
                      fish, powershell: for those shells
                      json: the STS Credentials object (and Region)
                      ini: a credentials-file section
                      credential-process: the AWS credential_process JSON,
                        for  credential_process = awsmfa export --format credential-process PROFILE
  -d, --duration D    how long the credentials last (3600, 15m, 1h)
  -n, --no-session    long-term keys as stored, no session (for a base profile's credential_process)
  -t, --mfa-token C   the MFA code, instead of asking on the terminal
  --region R          the region to export (default: the profile's)
`;

export { FORMATS };
export const options = exportOptions;

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("export", input.argv, options);
  atMostPositionals("export", positionals, 1);
  const formatName = values.format ?? "export-env";
  const format = FORMATS.find((f) => f === formatName);
  if (format === undefined) {
    throw usageError(
      `export: unknown format '${formatName}'.`,
      `Use one of: ${FORMATS.join(", ")}.`,
    );
  }
  const req = await credentialRequest("export", positionals[0], values, input);
  const engine = await openEngine(input);
  const creds = await engine.resolve(req);
  input.ctx.stdout(render(format, creds, req.profile));
  return 0;
}

function render(
  format: ExportFormat,
  creds: Awaited<ReturnType<Awaited<ReturnType<typeof openEngine>>["resolve"]>>,
  profile: string,
): string {
  switch (format) {
    case "credential-process":
      return formatCredentialProcess(creds);
    case "json":
      return formatJson(creds);
    case "ini":
      return formatIni(creds, profile);
    default:
      return formatEnv(creds, format);
  }
}
