/**
 * The AWS view of ~/.aws/config and ~/.aws/credentials that the rest of
 * awsmfa reads. Produced by src/config (loadAwsConfig); consumed by the
 * credential engine and the commands. Field meanings are the AWS CLI's.
 */

/** Where a value came from, for diagnostics ("~/.aws/config:12"). */
export interface SourceLocation {
  readonly file: string;
  /** 1-based */
  readonly line: number;
}

export interface StaticKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly where: SourceLocation;
}

/**
 * One profile as written: own keys only (include_profile/source_profile are
 * NOT merged in here; see ResolvedProfile). Keys from the credentials file
 * section of the same name are merged in as the AWS SDK does (credentials
 * file wins for the keys it defines).
 */
export interface ProfileConfig {
  readonly name: string;
  readonly region?: string;
  readonly mfaSerial?: string;
  readonly roleArn?: string;
  readonly sourceProfile?: string;
  readonly includeProfile?: string;
  readonly credentialProcess?: string;
  readonly mfaProcess?: string;
  readonly durationSeconds?: number;
  readonly externalId?: string;
  readonly roleSessionName?: string;
  readonly sourceIdentity?: string;
  /** session_tags = key1=value1,key2=value2 (aws-vault's format) */
  readonly sessionTags?: Readonly<Record<string, string>>;
  /** transitive_session_tags = key1,key2 */
  readonly transitiveSessionTags?: readonly string[];
  readonly endpointUrl?: string;
  /** name of a [services x] section */
  readonly services?: string;
  readonly ssoSession?: string;
  readonly ssoStartUrl?: string;
  readonly ssoRegion?: string;
  readonly ssoAccountId?: string;
  readonly ssoRoleName?: string;
  /** HashiCorp Vault / OpenBao AWS secrets engine (src/vault/): aws/creds/NAME or aws/sts/NAME */
  readonly vaultPath?: string;
  /** Else VAULT_ADDR / BAO_ADDR. */
  readonly vaultAddr?: string;
  /** Asked-for lease length ("1h", "3600s", "3600"), passed to Vault as is. */
  readonly vaultTtl?: string;
  /** When the Vault role allows several role ARNs. */
  readonly vaultRoleArn?: string;
  /** Else VAULT_NAMESPACE / BAO_NAMESPACE. */
  readonly vaultNamespace?: string;
  /** aws_access_key_id etc. in plain text (credentials or config file) */
  readonly staticKeys?: StaticKeys;
  /** Every key as written, lower-cased key -> value (last one wins, as the SDK). */
  readonly raw: Readonly<Record<string, string>>;
  /** Where each raw key was defined. */
  readonly where: Readonly<Record<string, SourceLocation>>;
  /** Where the section header is (config file if present there, else credentials). */
  readonly location: SourceLocation;
  /** true when the profile has a section in the config file */
  readonly inConfig: boolean;
  /** true when the profile has a section in the credentials file */
  readonly inCredentials: boolean;
}

/** A [services name] section: service id -> key -> value (e.g. sts.endpoint_url). */
export type ServicesSection = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface ConfigDiagnostic {
  readonly severity: "error" | "warning";
  readonly code: `E_${string}` | `W_${string}`;
  readonly message: string;
  readonly where: SourceLocation;
  readonly hint?: string;
}

export interface AwsConfig {
  readonly configFile: string;
  readonly credentialsFile: string;
  readonly profiles: ReadonlyMap<string, ProfileConfig>;
  readonly services: ReadonlyMap<string, ServicesSection>;
  /**
   * Duplicates and other things worth a warning (errors are thrown
   * instead); computed on the first call.
   */
  readonly diagnostics: () => readonly ConfigDiagnostic[];
  /** [sso-session name] sections of the config file: name -> key -> value. */
  readonly ssoSessions?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** How configFile is named in messages (`~/.aws/config`); SourceLocation.file uses it. */
  readonly configFileLabel?: string;
  /** How credentialsFile is named in messages (`~/.aws/credentials`). */
  readonly credentialsFileLabel?: string;
  /** false when configFile does not exist (read as empty); set by loadAwsConfig. */
  readonly configFileExists?: boolean;
  /** false when credentialsFile does not exist (read as empty); set by loadAwsConfig. */
  readonly credentialsFileExists?: boolean;
}

/**
 * A profile with include_profile merged in (the including profile's own keys
 * win), validated, and the source_profile chain walked to its root.
 * chain[0] is the profile asked for, chain[last] the root that holds (or
 * names) the long-term credentials.
 */
export interface ResolvedProfile {
  readonly profile: ProfileConfig;
  readonly chain: readonly ProfileConfig[];
}
