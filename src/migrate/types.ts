/**
 * The shapes `awsmfa migrate` passes between its steps: what it is asked
 * (MigrateInput), what it says (MigrateReport), and a profile that passed
 * every check (Candidate). Types only.
 */
import type { Env } from "../credentials/types.ts";
import type { Clock } from "../platform/clock.ts";
import type { SecretStore } from "../store/SecretStore.ts";

export interface MigrateInput {
  readonly configFile: string;
  readonly credentialsFile: string;
  /** How the files are named in messages (`~/.aws/config`). */
  readonly configLabel: string;
  readonly credentialsLabel: string;
  /** Profiles to migrate; empty: every profile with keys in plain text. */
  readonly profiles: readonly string[];
  readonly dryRun: boolean;
  /** Replace different keys already stored for a profile with the file's. */
  readonly force: boolean;
  readonly store: SecretStore;
  readonly clock: Clock;
  /** The environment the credential_process will run with (AWSMFA_*, AWS_*). */
  readonly env: Env;
  /** The credential_process command line for a profile. */
  readonly credentialProcess: (profile: string) => string;
}

/**
 * migrated: keys in the store, removed from the files, profile points at awsmfa.
 * would-migrate: the same, under --dry-run.
 * skipped: nothing to do on purpose (temporary credentials).
 * refused: left as it was because moving the keys could break or lose something; the reason says what to do.
 * failed: an attempt went wrong; the reason says what state it was left in.
 */
export type MigrateOutcome = "migrated" | "would-migrate" | "skipped" | "refused" | "failed";

export interface MigrateResult {
  readonly profile: string;
  readonly outcome: MigrateOutcome;
  /** Redacted (last four characters). */
  readonly accessKeyId?: string;
  /** Where the key id was read (`~/.aws/credentials:3`). */
  readonly from?: string;
  readonly reason?: string;
  /** What else was done or noticed (already stored, credential_process kept, ...). */
  readonly notes: readonly string[];
}

export interface MigrateReport {
  readonly dryRun: boolean;
  readonly storeBackend: string;
  readonly results: readonly MigrateResult[];
  /** Backup files written (absolute paths). */
  readonly backups: readonly string[];
  /** The redacted unified diff of both files (what was or would be changed); "" when none. */
  readonly diff: string;
}

/** A profile that passed every check and will be moved. */
export interface Candidate {
  readonly profile: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly from: string;
  readonly inCredentials: boolean;
  readonly inConfig: boolean;
  /** Its credential_process already calls awsmfa for it: keep that line. */
  readonly keepCredentialProcess: boolean;
  /** What the store holds for it now. */
  readonly stored: "none" | "same" | { readonly replace: string };
  readonly notes: string[];
}
