import {
  AWS_VAULT_SOURCES,
  importFromAwsVault,
  type AwsVaultSourceName,
  type ImportOutcome,
  type ImportSummary,
} from "../../importers/awsVault.ts";
import { displayPath } from "../../config/paths.ts";
import { AwsmfaError, isAwsmfaError, usageError } from "../../errors.ts";
import type { Env } from "../../platform/env.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { checkProfileName } from "../profileName.ts";
import { openSecretStore } from "../services.ts";

export const usage = `Usage: awsmfa import aws-vault [--from BACKEND] [--profile P]... [--dry-run]

Copies long-term keys (not sessions) from aws-vault's store into awsmfa's.
Nothing is deleted from aws-vault's store. Profiles whose keys awsmfa
already holds are skipped.

  --from BACKEND    the aws-vault backend to read: ${AWS_VAULT_SOURCES.join(", ")}
                    (default: $AWS_VAULT_BACKEND, else keychain on macOS,
                    secret-service on Linux with a desktop session, else file)
  -p, --profile P   import only this profile (repeatable); default: all
  --dry-run         show what would be imported and write nothing

The file backend's passphrase comes from AWS_VAULT_FILE_PASSPHRASE, else it is
asked on the terminal.
`;

export const options = {
  from: { type: "string" },
  profile: { type: "string", short: "p", multiple: true },
  "dry-run": { type: "boolean" },
} as const;

/** Where aws-vault looks when no --from is given: its variable, else its platform default. */
export function defaultAwsVaultSource(
  env: Env,
  platform: NodeJS.Platform,
): { name: string; from: string } {
  const fromEnv = env.AWS_VAULT_BACKEND;
  if (fromEnv !== undefined && fromEnv !== "") return { name: fromEnv, from: "AWS_VAULT_BACKEND" };
  switch (platform) {
    case "darwin":
      return { name: "keychain", from: "aws-vault's default on macOS" };
    case "win32":
      return { name: "wincred", from: "aws-vault's default on Windows" };
    default:
      // aws-vault tries the Secret Service first, which needs a session bus;
      // without one (a server, a container) it ends up with its file store.
      return env.DBUS_SESSION_BUS_ADDRESS !== undefined && env.DBUS_SESSION_BUS_ADDRESS !== ""
        ? { name: "secret-service", from: "aws-vault's default with a desktop session" }
        : { name: "file", from: "aws-vault's default without a desktop session" };
  }
}

export function parseSource(name: string, from: string): AwsVaultSourceName {
  const source = AWS_VAULT_SOURCES.find((s) => s === name.trim().toLowerCase());
  if (source === undefined) {
    throw usageError(
      `import: cannot read aws-vault's '${name}' backend (from ${from}).`,
      `Use --from with one of: ${AWS_VAULT_SOURCES.join(", ")}.`,
    );
  }
  return source;
}

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("import", input.argv, options);
  atMostPositionals("import", positionals, 1);
  const what = positionals[0];
  if (what !== "aws-vault") {
    throw usageError(
      what === undefined
        ? "import: import from where? Only 'aws-vault' is supported."
        : `import: cannot import from '${what}'; only 'aws-vault' is supported.`,
      "Run 'awsmfa import aws-vault --help'.",
    );
  }
  const { ctx } = input;
  const source =
    values.from !== undefined
      ? parseSource(values.from, "--from")
      : (() => {
          const d = defaultAwsVaultSource(ctx.env, ctx.platform);
          input.debug(`reading aws-vault's ${d.name} backend (${d.from})`);
          return parseSource(d.name, d.from);
        })();
  const profiles = (values.profile ?? []).map((p) => checkProfileName(p, "import"));
  const dryRun = values["dry-run"] === true;

  const store = await openSecretStore(input);
  const summary = await importFromAwsVault({
    from: source,
    profiles,
    dryRun,
    env: ctx.env,
    homedir: ctx.homedir,
    store,
    clock: ctx.clock,
    passphrase: (prompt) => askPassphrase(prompt),
  });
  ctx.stderr(formatImportSummary(summary, store.backend, (p) => displayPath(p, ctx.homedir)));
  return summary.results.some((r) => r.outcome === "failed") ? 1 : 0;
}

/**
 * The aws-vault file store's passphrase, asked on the terminal. Any failure
 * to get it (no terminal, Ctrl-C) is reported as E_IMPORT_PASSPHRASE, the
 * code on which the importer stops instead of failing every item alike.
 */
async function askPassphrase(prompt: string): Promise<string> {
  try {
    const { openTty } = await import("../../platform/tty.ts");
    const tty = await openTty({
      purpose: "the passphrase of aws-vault's file store",
      hint: "Set AWS_VAULT_FILE_PASSPHRASE, or run awsmfa from a terminal.",
    });
    try {
      return await tty.prompt(`${prompt}: `, { hidden: true });
    } finally {
      tty.close();
    }
  } catch (e) {
    if (!isAwsmfaError(e)) throw e;
    throw new AwsmfaError("E_IMPORT_PASSPHRASE", e.message, {
      ...(e.hint === undefined ? {} : { hint: e.hint }),
      exitCode: e.exitCode,
      cause: e,
    });
  }
}

const LABEL: Readonly<Record<ImportOutcome, string>> = {
  imported: "imported",
  "would-import": "would import",
  skipped: "skipped",
  failed: "FAILED",
};

/** The human summary (stderr). Key ids arrive redacted from the importer. */
export function formatImportSummary(
  summary: ImportSummary,
  backend: string,
  display: (path: string) => string = (p) => p,
): string {
  const where = `aws-vault's ${summary.from} store (${display(summary.location)})`;
  if (summary.results.length === 0) {
    return `No long-term keys found in ${where}.\n`;
  }
  let out = summary.dryRun
    ? `Dry run: would import from ${where} into the ${backend} store; nothing was written.\n`
    : `Importing from ${where} into the ${backend} store:\n`;
  const width = Math.max(...summary.results.map((r) => r.profile.length));
  const labelWidth = Math.max(...summary.results.map((r) => LABEL[r.outcome].length));
  for (const r of summary.results) {
    const key = r.accessKeyId === undefined ? "" : `  ${r.accessKeyId}`;
    const why = r.reason === undefined ? "" : `  ${r.reason}`;
    out += `  ${r.profile.padEnd(width)}  ${LABEL[r.outcome].padEnd(labelWidth)}${key}${why}\n`;
  }
  const counts = new Map<ImportOutcome, number>();
  for (const r of summary.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  out += `${[...counts].map(([o, n]) => `${String(n)} ${LABEL[o].toLowerCase()}`).join(", ")}. aws-vault's store was left as it was.\n`;
  return out;
}
