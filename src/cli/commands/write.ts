import { formatDuration } from "../../credentials/durations.ts";
import { awsConfigPaths, displayPath } from "../../config/paths.ts";
import { AwsmfaError, usageError } from "../../errors.ts";
import { isoSeconds } from "../../platform/isoSeconds.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { ConfigSide } from "../../config/writtenSections.ts";
import type { CommandInput } from "../command.ts";
import { credentialOptions, credentialRequest } from "../credentialFlags.ts";
import { checkProfileName, profileFromArgs } from "../profileName.ts";

export const usage = `Usage: awsmfa write [<profile>] [--to NAME] [-d DURATION] [-n] [-t CODE] [--region R] [--force] [--json]
       awsmfa write [<profile>] --remove [--to NAME] [--force]
       awsmfa write --remove --all

Writes temporary credentials for a profile (default: $AWS_PROFILE; on a
terminal, picked from a list) into section [NAME] of the shared credentials
file (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials), for tools
that cannot run awsmfa: use them with  export AWS_PROFILE=NAME.

  --to NAME           the section to write (default: <profile>-session)
  -d, --duration D    how long the credentials last (3600, 15m, 1h)
  -n, --no-session    assume the role directly from the long-term keys
  -t, --mfa-token C   the MFA code, instead of asking on the terminal
  --region R          the region to write (default: the profile's)
  --force             overwrite (or remove) a section awsmfa did not write
  --json              print what was written as JSON (no secrets) on stdout
  --remove            remove the section instead (--all: every section awsmfa wrote)

The section holds aws_access_key_id, aws_secret_access_key,
aws_session_token, expiration, region (unless [profile NAME] in the config
file sets its own) and awsmfa_written_for (the profile), which marks it as
written by awsmfa: later writes replace it in place, --remove takes it out,
and 'awsmfa list' shows it with its expiry. A section that holds long-term
keys or that awsmfa did not write is never changed without --force; a
[profile NAME] in the config file that only adds settings (region, output)
leaves it awsmfa's. Nothing else in the file changes, byte for byte.
`;

export const options = {
  ...credentialOptions,
  to: { type: "string" },
  force: { type: "boolean" },
  json: { type: "boolean" },
  remove: { type: "boolean" },
  all: { type: "boolean" },
} as const;

/** What --json prints. */
export interface WriteJson {
  readonly section: string;
  readonly profile: string;
  readonly credentialsFile: string;
  readonly expiration: string;
  /** What the section was before: absent, ours (replaced) or foreign (--force). */
  readonly replaced: "absent" | "ours" | "foreign";
}

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("write", input.argv, options);
  atMostPositionals("write", positionals, 1);
  if (values.all === true && values.remove !== true) {
    throw usageError("write: --all goes with --remove.", "Run 'awsmfa write --help' for usage.");
  }
  if (values.remove === true) return remove(input, positionals[0], values);

  const { ctx } = input;
  const req = await credentialRequest("write", positionals[0], values, input);
  const name = targetName(values.to, req.profile);
  const { openEngine } = await import("../engine.ts");
  const engine = await openEngine(input);
  const { assertWritable, ownerOfProfile, writeSection } =
    await import("../../config/writtenSections.ts");
  const configProfile = engine.config.profiles.get(name);
  const configSide =
    configProfile?.inConfig === true ? await readConfigSide(input, name) : undefined;
  if (name === req.profile) {
    throw new AwsmfaError(
      "E_WRITE_TARGET",
      `write: [${name}] is the profile being resolved; writing its credentials there would replace its own configuration.`,
      { hint: `Pick another section with --to NAME (the default is ${req.profile}-session).` },
    );
  }
  // Before any STS call: a refused write must not spend an MFA code.
  assertWritable(name, ownerOfProfile(configProfile, configSide), values.force === true);
  const creds = await engine.resolve(req);
  if (creds.sessionToken === undefined || creds.expiration === undefined) {
    throw new AwsmfaError(
      "E_WRITE_LONG_TERM",
      `write: profile ${req.profile} resolves to long-term keys; awsmfa writes only temporary credentials to a file.`,
      { hint: "Drop -n/--no-session, or give the profile an mfa_serial or role_arn." },
    );
  }
  const file = credentialsFile(input);
  const result = await writeSection(file, {
    name,
    profile: req.profile,
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
      expiration: creds.expiration,
    },
    force: values.force === true,
    configProfile: configSide,
    // The profile's region (or --region) goes beside the keys, where the AWS
    // CLI reads it for AWS_PROFILE=name; a region the config file sets for
    // [profile name] is the user's and wins (the credentials file's would
    // override it in the AWS CLI).
    region: configSide?.region === undefined ? creds.region : undefined,
  });
  const left = formatDuration((creds.expiration.getTime() - ctx.clock.now()) / 1000);
  const verb =
    result.before === "absent" ? "Wrote" : result.before === "ours" ? "Replaced" : "Overwrote";
  const was =
    result.previousProfile !== undefined && result.previousProfile !== req.profile
      ? ` (it held profile ${result.previousProfile}'s)`
      : "";
  ctx.stderr(
    `awsmfa: ${verb} [${name}]${was} in ${file.label} with temporary credentials for profile ${req.profile}; they expire in ${left} (${isoSeconds(creds.expiration)}).\n` +
      regionNote(name, req.profile, values.region, creds.region, configSide) +
      `Use them with:\n  export AWS_PROFILE=${name}\n` +
      `Remove them with:\n  awsmfa write --remove --to ${name}\n`,
  );
  const { rememberProfile } = await import("../picker/recent.ts");
  await rememberProfile(input, req.profile);
  if (values.json === true) {
    const out: WriteJson = {
      section: name,
      profile: req.profile,
      credentialsFile: file.path,
      expiration: isoSeconds(creds.expiration),
      replaced: result.before,
    };
    ctx.stdout(JSON.stringify(out, null, 2) + "\n");
  }
  return 0;
}

async function remove(
  input: CommandInput,
  positional: string | undefined,
  values: {
    readonly to?: string | undefined;
    readonly all?: boolean | undefined;
    readonly force?: boolean | undefined;
    readonly json?: boolean | undefined;
  },
): Promise<number> {
  const { ctx } = input;
  const { removeSections } = await import("../../config/writtenSections.ts");
  const file = credentialsFile(input);
  let names: string[] | "all-written";
  if (values.all === true) {
    if (positional !== undefined || values.to !== undefined) {
      throw usageError("write: --remove --all takes no profile or --to.");
    }
    names = "all-written";
  } else {
    const profile = profileFromArgs(positional, ctx.env)?.name;
    if (values.to === undefined && profile === undefined) {
      throw new AwsmfaError("E_NO_PROFILE", "write --remove: which section?", {
        exitCode: 2,
        hint: "Name it with --to NAME, give the profile it was written for, or use --all.",
      });
    }
    names = [targetName(values.to, profile ?? "")];
  }
  const removed = await removeSections(file, names, values.force === true);
  if (values.json === true) {
    ctx.stdout(JSON.stringify({ removed, credentialsFile: file.path }, null, 2) + "\n");
  }
  if (removed.length === 0) {
    ctx.stderr(
      names === "all-written"
        ? `awsmfa: no section written by awsmfa in ${file.label}.\n`
        : `awsmfa: there is no [${names[0] ?? ""}] in ${file.label}; nothing removed.\n`,
    );
    return 0;
  }
  ctx.stderr(`awsmfa: removed ${removed.map((n) => `[${n}]`).join(", ")} from ${file.label}.\n`);
  return 0;
}

/** What the written section's region is, when that needs saying. */
function regionNote(
  name: string,
  profile: string,
  flag: string | undefined,
  resolved: string | undefined,
  configSide: ConfigSide | undefined,
): string {
  if (configSide?.region !== undefined) {
    return flag !== undefined && flag !== configSide.region
      ? `Not written: --region ${flag}; ${configSide.where} sets region = ${configSide.region} for [profile ${name}], and the AWS CLI uses that.\n`
      : "";
  }
  if (resolved !== undefined) return "";
  return (
    `No region is known for profile ${profile}, so none was written; the AWS CLI will ask for one.\n` +
    `  hint: Pass --region REGION, or set region in [profile ${profile}].\n`
  );
}

async function readConfigSide(input: CommandInput, name: string): Promise<ConfigSide | undefined> {
  const paths = awsConfigPaths(input.ctx.env, input.ctx.homedir);
  const label = displayPath(paths.configFile, input.ctx.homedir);
  const [{ readConfigText }, { parseIni }, { configSideOf }] = await Promise.all([
    import("../../config/loadAwsConfig.ts"),
    import("../../config/IniDocument.ts"),
    import("../../config/writtenSections.ts"),
  ]);
  return configSideOf(parseIni(await readConfigText(paths.configFile, label), label), name);
}

/** --to, else <profile>-session; checked as a name the credentials file can hold. */
function targetName(to: string | undefined, profile: string): string {
  return checkProfileName(to ?? `${profile}-session`, "write");
}

function credentialsFile(input: CommandInput): { path: string; label: string } {
  const path = awsConfigPaths(input.ctx.env, input.ctx.homedir).credentialsFile;
  return { path, label: displayPath(path, input.ctx.homedir) };
}
