/**
 * The first half of `awsmfa migrate`, which changes nothing: read and parse
 * both files, pick the profiles, check each (checkProfile) and rehearse the
 * edits on in-memory copies. The rehearsal is also the --dry-run diff.
 */
import { buildAwsConfig } from "../config/buildAwsConfig.ts";
import { parseIni } from "../config/IniDocument.ts";
import { readConfigText } from "../config/loadAwsConfig.ts";
import { checkProfile } from "./checkProfile.ts";
import { findPlainKeys, type PlainKeys } from "./findPlainKeys.ts";
import { errorText, refusedResult } from "./migrateResults.ts";
import { editConfig, editCredentials } from "./migrationEdits.ts";
import { redactedDiff } from "./redactedDiff.ts";
import type { Candidate, MigrateInput, MigrateResult } from "./types.ts";

export interface MigrationPlan {
  /** Every profile with keys in plain text, in file order. */
  readonly found: readonly PlainKeys[];
  /** Profiles settled while planning: not found, skipped, refused, failed. */
  readonly results: readonly MigrateResult[];
  /** Profiles to move: every check passed and the rehearsed edit worked. */
  readonly ready: readonly Candidate[];
  /** The redacted unified diff of the rehearsed edits; "" when none. */
  readonly diff: string;
}

export async function planMigration(input: MigrateInput): Promise<MigrationPlan> {
  // Parse both files first: a malformed file stops everything before any change.
  const configText = await readConfigText(input.configFile, input.configLabel);
  const credentialsText = await readConfigText(input.credentialsFile, input.credentialsLabel);
  const configDoc = parseIni(configText, input.configLabel);
  const credentialsDoc = parseIni(credentialsText, input.credentialsLabel);

  const results: MigrateResult[] = [];
  const found = findPlainKeys(configDoc, credentialsDoc);
  let wanted: PlainKeys[] = found;
  if (input.profiles.length > 0) {
    const names = [...new Set(input.profiles)];
    wanted = [];
    for (const name of names) {
      const f = found.find((p) => p.profile === name);
      if (f !== undefined) wanted.push(f);
      else {
        results.push({
          profile: name,
          outcome: "failed",
          reason: `no aws_access_key_id for it in ${input.credentialsLabel} or ${input.configLabel}`,
          notes: [],
        });
      }
    }
  }

  const awsConfig = buildAwsConfig({
    configFile: input.configFile,
    credentialsFile: input.credentialsFile,
    configDoc,
    credentialsDoc,
  });
  const candidates: Candidate[] = [];
  for (const p of wanted) {
    const checked = await checkProfile(p, configDoc, credentialsDoc, awsConfig, input);
    if ("outcome" in checked) results.push(checked);
    else candidates.push(checked);
  }

  // Rehearse the edits on in-memory copies: a profile whose edit the
  // document refuses (a name that cannot be a config section) is refused
  // before anything is stored.
  const planConfig = parseIni(configText, input.configLabel);
  const planCredentials = parseIni(credentialsText, input.credentialsLabel);
  const ready: Candidate[] = [];
  for (const c of candidates) {
    try {
      editConfig(planConfig, c, input);
      editCredentials(planCredentials, c);
      ready.push(c);
    } catch (e) {
      results.push(refusedResult(c, `the config file cannot be edited for it: ${errorText(e)}`));
    }
  }
  const diff =
    redactedDiff(configText, planConfig.toString(), {
      before: input.configLabel,
      after: input.configLabel,
    }) +
    redactedDiff(credentialsText, planCredentials.toString(), {
      before: input.credentialsLabel,
      after: input.credentialsLabel,
    });
  return { found, results, ready, diff };
}
