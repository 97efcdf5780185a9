import { nonBlank } from "../../platform/env.ts";
import { displayPath } from "../../config/paths.ts";
import type { AwsConfig, ProfileConfig } from "../../config/types.ts";
import { AwsmfaError, usageError } from "../../errors.ts";
import type { IamClient } from "../../iam/IamClient.ts";
import { resolveIamEndpoint } from "../../aws/iamEndpoint.ts";
import type { StoredKeys } from "../../store/SecretStore.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { loadConfig, openSecretStore, requireStoredKeys } from "../services.ts";

export const usage = `Usage: awsmfa mfa enroll [<profile>] [--device-name N] [--show-secret] [--no-config]
       awsmfa mfa list [<profile>]
       awsmfa mfa remove [<profile>] [--serial ARN] [-t CODE] [--remove-config] [--force]

MFA devices of the IAM user behind a profile's stored long-term keys
('awsmfa add <profile>' first). The profile defaults to AWS_PROFILE.

enroll   creates a virtual MFA device, shows its QR code on the terminal,
         asks two consecutive codes from your authenticator app, enables
         the device, and sets mfa_serial in the profile's section of
         ~/.aws/config (nothing else in the file changes). If anything fails
         before the device is enabled, the device is deleted again. Works
         with only the self-service rights 'awsmfa policy force-mfa' gives.
  --device-name N   the device's name (default: the IAM user's name)
  --show-secret     also show the secret key as text, for apps that cannot
                    scan (it is shown on the terminal only, never logged)
  --no-config       leave ~/.aws/config alone

list     the user's MFA devices (serial number, enabled since), one a line
         on stdout; the profile's mfa_serial is marked with '*'.

remove   deactivates and deletes a device (asks first). Deactivating needs
         MFA, so it asks for a code from that device.
  --serial ARN      the device (default: the profile's mfa_serial)
  -t, --mfa-token CODE  the code, instead of asking on the terminal
  --remove-config   also remove the profile's mfa_serial (otherwise asked,
                    or kept when there is no terminal)
  -f, --force       do not ask for confirmation
`;

export const options = {
  "device-name": { type: "string" },
  "show-secret": { type: "boolean" },
  "no-config": { type: "boolean" },
  serial: { type: "string" },
  "mfa-token": { type: "string", short: "t" },
  "remove-config": { type: "boolean" },
  force: { type: "boolean", short: "f" },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof options>>["values"];

/** Flags that belong to one subcommand only. */
const ONLY: Readonly<Record<string, readonly (keyof Values)[]>> = {
  enroll: ["device-name", "show-secret", "no-config"],
  list: [],
  remove: ["serial", "mfa-token", "remove-config", "force"],
};

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("mfa", input.argv, options);
  const [sub, ...rest] = positionals;
  const own = sub === undefined ? undefined : ONLY[sub];
  if (sub === undefined || own === undefined) {
    throw usageError(
      sub === undefined ? "mfa: enroll, list or remove?" : `mfa: unknown subcommand '${sub}'.`,
      "Run 'awsmfa mfa --help' for usage.",
    );
  }
  for (const flag of Object.keys(values)) {
    if (!own.some((f) => f === flag)) {
      throw usageError(
        `mfa ${sub}: --${flag} is not an option of 'mfa ${sub}'.`,
        "Run 'awsmfa mfa --help' for usage.",
      );
    }
  }
  atMostPositionals(`mfa ${sub}`, rest, 1);
  const profile = rest[0] ?? nonBlank(input.ctx.env.AWS_PROFILE);
  if (profile === undefined) {
    throw usageError(`mfa ${sub}: which profile? Give its name (or set AWS_PROFILE).`);
  }
  const session = await openSession(input, profile);
  if (sub === "enroll") return enroll(input, session, values);
  if (sub === "list") return list(input, session);
  return remove(input, session, values);
}

interface Session {
  readonly profile: string;
  readonly config: AwsConfig;
  readonly profileConfig: ProfileConfig | undefined;
  readonly keys: StoredKeys;
  readonly configLabel: string;
  readonly iam: (
    credentials:
      StoredKeys | { accessKeyId: string; secretAccessKey: string; sessionToken: string },
  ) => Promise<IamClient>;
}

async function openSession(input: CommandInput, profile: string): Promise<Session> {
  const config = await loadConfig(input);
  const store = await openSecretStore(input);
  const keys = await requireStoredKeys(store, profile, "the IAM user's");
  const profileConfig = config.profiles.get(profile);
  const endpoint = resolveIamEndpoint(
    input.ctx.env,
    config,
    profileConfig === undefined ? [] : [profileConfig],
    "aws",
  );
  input.debug(`IAM endpoint ${endpoint.url} (from ${endpoint.from})`);
  return {
    profile,
    config,
    profileConfig,
    keys,
    configLabel: config.configFileLabel ?? displayPath(config.configFile, input.ctx.homedir),
    iam: async (credentials) => {
      const { createSdkIamClient } = await import("../../iam/sdkIamClient.ts");
      return createSdkIamClient({
        credentials: {
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: credentials.secretAccessKey,
          ...("sessionToken" in credentials ? { sessionToken: credentials.sessionToken } : {}),
        },
        endpoint: endpoint.url,
        region: endpoint.region,
        timeoutMs: 15_000,
      });
    },
  };
}

async function enroll(input: CommandInput, s: Session, values: Values): Promise<number> {
  const { ctx } = input;
  const [{ enrollMfa }, { terminalQr }, { openTty }] = await Promise.all([
    import("../../iam/enrollMfa.ts"),
    import("../../iam/terminalQr.ts"),
    import("../../platform/tty.ts"),
  ]);
  // The terminal first: without one there is nowhere to show the QR code,
  // and no device is created.
  const tty = await openTty({
    purpose: "the QR code and two MFA codes",
    hint: "Run 'awsmfa mfa enroll' from a terminal.",
  });
  try {
    const enrolled = await enrollMfa(
      { deviceName: values["device-name"], showSecret: values["show-secret"] === true },
      {
        iam: await s.iam(s.keys),
        ask: (question) => tty.prompt(question, { hidden: false }),
        qr: terminalQr,
        info: (message) => {
          ctx.stderr(message);
        },
      },
    );
    ctx.stdout(`${enrolled.serialNumber}\n`);
    ctx.stderr(
      `awsmfa: MFA device ${enrolled.serialNumber} is enabled for IAM user ${enrolled.user.userName}.\n`,
    );
    if (values["no-config"] === true) return 0;
    const { setProfileMfaSerial } = await import("../../iam/profileMfaSerial.ts");
    const edit = await setProfileMfaSerial(
      s.config.configFile,
      s.configLabel,
      s.profile,
      enrolled.serialNumber,
    ).catch((e: unknown) => {
      throw new AwsmfaError(
        "E_CONFIG_WRITE",
        `The device is enabled, but mfa_serial could not be written to ${s.configLabel}: ${e instanceof Error ? e.message : String(e)}`,
        {
          hint: `Add 'mfa_serial = ${enrolled.serialNumber}' to the profile's section yourself.`,
          cause: e,
        },
      );
    });
    ctx.stderr(
      edit.previous !== undefined && edit.previous !== enrolled.serialNumber
        ? `awsmfa: mfa_serial of profile '${s.profile}' in ${s.configLabel} changed from ${edit.previous}.\n`
        : `awsmfa: mfa_serial set for profile '${s.profile}' in ${s.configLabel}.\n`,
    );
    return 0;
  } finally {
    tty.close();
  }
}

async function list(input: CommandInput, s: Session): Promise<number> {
  const iam = await s.iam(s.keys);
  const user = await iam.getUser();
  const devices = await iam.listMfaDevices(user.userName);
  if (devices.length === 0) {
    input.ctx.stderr(
      `awsmfa: IAM user ${user.userName} has no MFA device; add one with 'awsmfa mfa enroll ${s.profile}'.\n`,
    );
    return 0;
  }
  for (const d of devices) {
    const mark = d.serialNumber === s.profileConfig?.mfaSerial ? "*" : " ";
    input.ctx.stdout(`${mark} ${d.serialNumber}\t${d.enableDate?.toISOString() ?? "-"}\n`);
  }
  return 0;
}

async function remove(input: CommandInput, s: Session, values: Values): Promise<number> {
  const { ctx } = input;
  const serial = values.serial ?? s.profileConfig?.mfaSerial;
  if (serial === undefined) {
    throw usageError(
      `mfa remove: which device? Profile '${s.profile}' has no mfa_serial.`,
      "Give it with --serial ARN ('awsmfa mfa list' shows them).",
    );
  }
  const { confirm } = await import("../confirm.ts");
  if (values.force !== true) {
    const yes = await confirm(
      `Deactivate and delete MFA device ${serial}? Sign-ins that need it stop working until you enrol another.`,
      "--force",
    );
    if (!yes) {
      ctx.stderr("Nothing removed.\n");
      return 1;
    }
  }
  const { checkMfaCode } = await import("../../mfa/mfaCode.ts");
  let code: string;
  const given = values["mfa-token"];
  if (given !== undefined) {
    code = checkMfaCode(given, "--mfa-token");
  } else {
    const { openTty } = await import("../../platform/tty.ts");
    const tty = await openTty({ purpose: "an MFA code", hint: "Give the code with -t CODE." });
    try {
      code = checkMfaCode(
        await tty.prompt(`MFA code from ${serial}: `, { hidden: false }),
        "the code typed",
      );
    } finally {
      tty.close();
    }
  }
  // Deactivating needs MFA (the force-MFA policy denies it otherwise): a
  // short session made with the device's own code.
  const { stsFactory } = await import("../../aws/stsFactory.ts");
  const { resolveStsEndpoint } = await import("../../aws/endpoint.ts");
  const region =
    s.profileConfig?.region ??
    nonBlank(ctx.env.AWS_REGION) ??
    nonBlank(ctx.env.AWS_DEFAULT_REGION) ??
    "us-east-1";
  const sts = stsFactory({
    credentials: s.keys,
    region,
    endpoint: resolveStsEndpoint(
      ctx.env,
      s.config,
      s.profileConfig === undefined ? [] : [s.profileConfig],
      region,
    ).url,
  });
  const session = await sts.getSessionToken({
    durationSeconds: 900,
    serialNumber: serial,
    tokenCode: code,
  });
  const iam = await s.iam(session);
  const user = await iam.getUser();
  await iam.deactivateMfaDevice({ userName: user.userName, serialNumber: serial });
  await iam.deleteVirtualMfaDevice(serial);
  ctx.stderr(
    `awsmfa: MFA device ${serial} of IAM user ${user.userName} is deactivated and deleted.\n`,
  );
  if (s.profileConfig?.mfaSerial !== serial) return 0;
  let drop = values["remove-config"] === true;
  if (!drop && ctx.interactive && values.force !== true) {
    drop = await confirm(
      `Remove mfa_serial from profile '${s.profile}' in ${s.configLabel}?`,
      "--remove-config",
    );
  }
  if (!drop) {
    ctx.stderr(
      `awsmfa: kept mfa_serial in profile '${s.profile}'; 'awsmfa mfa remove --remove-config' or an editor removes it.\n`,
    );
    return 0;
  }
  const { removeProfileMfaSerial } = await import("../../iam/profileMfaSerial.ts");
  await removeProfileMfaSerial(s.config.configFile, s.configLabel, s.profile, serial);
  ctx.stderr(`awsmfa: removed mfa_serial from profile '${s.profile}' in ${s.configLabel}.\n`);
  return 0;
}
