import { AwsmfaError, redactKeyId, usageError } from "../../errors.ts";
import type { StoredKeys } from "../../store/SecretStore.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { checkAccessKeyId, checkSecretAccessKey } from "../keysShape.ts";
import { checkProfileName } from "../profileName.ts";
import { loadConfig, openSecretStore } from "../services.ts";

export const usage = `Usage: awsmfa add <profile> [--env] [--add-config] [--force]

Stores a profile's long-term access keys in the secret store.

  --env          read AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the
                 environment instead of asking on the terminal
  --add-config   add a [profile <profile>] section to the AWS config file
                 if it has none
  -f, --force    replace keys already stored for the profile without asking
`;

export const options = {
  env: { type: "boolean" },
  "add-config": { type: "boolean" },
  force: { type: "boolean", short: "f" },
} as const;

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("add", input.argv, options);
  atMostPositionals("add", positionals, 1);
  const given = positionals[0];
  if (given === undefined) throw usageError("add: which profile? Give its name.");
  const profile = checkProfileName(given, "add");
  const { ctx } = input;

  // Read the config first: a malformed file should stop us before any prompt.
  // A config file named by AWS_CONFIG_FILE may be missing: --add-config creates it.
  const config =
    values["add-config"] === true
      ? await loadConfig(input, { configMayBeMissing: true })
      : undefined;
  if (config !== undefined) {
    // The section is added after the keys are stored: a file the edit will
    // refuse (not UTF-8, ...) must stop us before, not fail after "Added keys".
    const { checkIniFileEditable } = await import("../../config/editFile.ts");
    await checkIniFileEditable(config.configFile, config.configFileLabel);
  }

  const store = await openSecretStore(input);
  const existing = await store.get("keys", profile);
  let tty: Awaited<ReturnType<typeof import("../../platform/tty.ts").openTty>> | undefined;
  const getTty = async () => {
    if (tty === undefined) {
      const { openTty } = await import("../../platform/tty.ts");
      tty = await openTty({
        purpose: "the access key",
        hint: "Run again with --env to read AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment.",
      });
    }
    return tty;
  };
  try {
    if (existing !== undefined && values.force !== true) {
      const t = await getTty().catch((e: unknown) => {
        throw new AwsmfaError("E_KEYS_EXIST", `Keys are already stored for profile '${profile}'.`, {
          hint: "Run again with --force to replace them.",
          cause: e,
        });
      });
      const answer = await t.prompt(
        `Keys are already stored for profile '${profile}'. Replace them? [y/N] `,
        { hidden: false },
      );
      if (!/^y(es)?$/i.test(answer.trim())) {
        ctx.stderr(`Kept the keys stored for profile '${profile}'.\n`);
        return 1;
      }
    }

    let accessKeyId: string;
    let secretAccessKey: string;
    if (values.env === true) {
      accessKeyId = checkAccessKeyId(ctx.env.AWS_ACCESS_KEY_ID ?? "", "AWS_ACCESS_KEY_ID");
      secretAccessKey = checkSecretAccessKey(
        ctx.env.AWS_SECRET_ACCESS_KEY ?? "",
        "AWS_SECRET_ACCESS_KEY",
      );
    } else {
      const t = await getTty();
      accessKeyId = checkAccessKeyId(
        await t.prompt("Enter Access Key ID: ", { hidden: false }),
        "the prompt",
      );
      secretAccessKey = checkSecretAccessKey(
        await t.prompt("Enter Secret Access Key: ", { hidden: true }),
        "the prompt",
      );
    }
    if (accessKeyId.startsWith("ASIA")) {
      throw new AwsmfaError(
        "E_TEMPORARY_KEYS",
        "The access key id starts with ASIA: these are temporary credentials, not long-term keys.",
        { hint: "Store the long-term keys of an IAM user (they start with AKIA)." },
      );
    }

    const keys: StoredKeys = {
      accessKeyId,
      secretAccessKey,
      addedAt: new Date(ctx.clock.now()).toISOString(),
    };
    await store.set("keys", profile, JSON.stringify(keys));
    ctx.stderr(
      `Added keys ${redactKeyId(accessKeyId)} for profile '${profile}' to the ${store.backend} store.\n`,
    );

    if (config !== undefined) {
      const { addProfileSection } = await import("../addProfileSection.ts");
      const added = await addProfileSection(config.configFile, profile);
      ctx.stderr(
        added
          ? `Added [${profile === "default" ? "default" : `profile ${profile}`}] to ${config.configFile}.\n`
          : `${config.configFile} already has a section for '${profile}'; left it as it was.\n`,
      );
    }
    return 0;
  } finally {
    tty?.close();
  }
}
