import { isAbsolute } from "node:path";
import { awsConfigPaths, displayPath } from "../../config/paths.ts";
import { AwsmfaError, usageError } from "../../errors.ts";
import { credentialProcessLine } from "../../migrate/credentialProcessLine.ts";
import { findOnPath } from "../../migrate/findOnPath.ts";
import { formatMigrateReport } from "../../migrate/formatMigrateReport.ts";
import { migrateKeys } from "../../migrate/migrateKeys.ts";
import { resolveBackendName } from "../../store/backendName.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { checkProfileName } from "../profileName.ts";
import { openSecretStore } from "../services.ts";

export const usage = `Usage: awsmfa migrate [--profile P]... [--dry-run] [--force]

Moves long-term keys written in plain text in the shared credentials file
(and the config file) into the secret store. For each profile it backs up
both files (0600, beside them), stores the keys and reads them back, adds
  credential_process = awsmfa export --no-session --format credential-process P
to the profile in the config file, then removes the aws_access_key_id and
aws_secret_access_key lines. Nothing else in the files changes. Tools that
read the profile keep working ('awsmfa' must be on their PATH).

Profiles are left as they are, with the reason, when their credentials are
temporary (aws_session_token), when they have role_arn, sso_* or another
credential_process, or when the store holds different keys for them.

  -p, --profile P   migrate only this profile (repeatable); default: all
  --dry-run         show what would change (a diff, secrets redacted) and change nothing
  -f, --force       replace different keys already stored for a profile
`;

export const options = {
  profile: { type: "string", short: "p", multiple: true },
  "dry-run": { type: "boolean" },
  force: { type: "boolean", short: "f" },
} as const;

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("migrate", input.argv, options);
  atMostPositionals("migrate", positionals, 0);
  const profiles = (values.profile ?? []).map((p) => checkProfileName(p, "migrate"));
  const dryRun = values["dry-run"] === true;
  const { ctx } = input;
  const show = (p: string) => displayPath(p, ctx.homedir);

  // The AWS tools run the credential_process line with their own PATH and
  // environment: refuse before changing anything if they could not find us.
  const onPath = await findOnPath("awsmfa", ctx.env, ctx.platform);
  if (onPath === undefined) {
    const problem =
      "'awsmfa' is not on PATH, so the AWS tools could not run the credential_process line migrate writes";
    if (!dryRun) {
      throw new AwsmfaError("E_MIGRATE_NOT_ON_PATH", `${problem}; nothing was changed.`, {
        hint: "Install awsmfa so that 'awsmfa' runs from any shell (e.g. npm install -g awsmfa), then run migrate again.",
      });
    }
    ctx.stderr(`awsmfa: warning: ${problem}.\n`);
  } else {
    input.debug(`awsmfa on PATH: ${onPath}`);
  }

  const globals = storeGlobals(input);
  const line = (profile: string) => credentialProcessLine(profile, globals);
  const { configFile, credentialsFile } = awsConfigPaths(ctx.env, ctx.homedir);
  const store = await openSecretStore(input);
  const report = await migrateKeys({
    configFile,
    credentialsFile,
    configLabel: show(configFile),
    credentialsLabel: show(credentialsFile),
    profiles,
    dryRun,
    force: values.force === true,
    store,
    clock: ctx.clock,
    env: ctx.env,
    credentialProcess: line,
  });
  if (dryRun) ctx.stdout(report.diff);
  ctx.stderr(formatMigrateReport(report, show));
  const moved = report.results.some(
    (r) => r.outcome === "migrated" || r.outcome === "would-migrate",
  );
  if (moved && store.backend === "file") {
    ctx.stderr(
      "Tools that run the credential_process unlock the file store with AWSMFA_FILE_PASSPHRASE, or ask on the terminal.\n",
    );
  }
  const bad = report.results.some((r) => r.outcome === "failed" || r.outcome === "refused");
  return bad ? 1 : 0;
}

/**
 * Global options the credential_process line must repeat so the AWS tools
 * open the same store: those given as flags on this command line. Values
 * from the environment (AWSMFA_BACKEND, AWSMFA_FILE_DIR) are the user's
 * standing choice and are read again by the child.
 */
function storeGlobals(input: CommandInput): string[] {
  const { env } = input.ctx;
  const out: string[] = [];
  const fromEnv = resolveBackendName({ env })?.name;
  if (input.globals.backend !== undefined && input.globals.backend !== fromEnv) {
    out.push("--backend", input.globals.backend);
  }
  const dir = input.globals.fileDir;
  const envDir = env.AWSMFA_FILE_DIR === "" ? undefined : env.AWSMFA_FILE_DIR;
  if (dir !== undefined && dir !== envDir) {
    if (!isAbsolute(dir) && !dir.startsWith("~/")) {
      throw usageError(
        `migrate: --file-dir ${dir} is relative; the credential_process line needs a directory that means the same from anywhere.`,
        "Give --file-dir as an absolute path (or set AWSMFA_FILE_DIR).",
      );
    }
    out.push("--file-dir", dir);
  }
  return out;
}
