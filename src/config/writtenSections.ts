/**
 * Sections of the shared credentials file that `awsmfa write` wrote: which
 * they are, whether a section may be (over)written, and the edits that write
 * and remove them.
 *
 * A section is ours when it carries the key `awsmfa_written_for` (the
 * profile whose temporary credentials it holds). A key rather than a comment
 * because it is set, replaced in place and removed through the lossless
 * IniDocument API like any other key, and because the config loader shows
 * it to every command (ProfileConfig.raw) without reading the file again.
 * The AWS CLI v1/v2 and the SDKs ignore keys they do not know, as they do
 * `expiration` (test/write/interop.test.ts checks that they still read the
 * credentials of such a section).
 */
import { AwsmfaError } from "../errors.ts";
import { checkCredentialValues } from "../credentialValues.ts";
import { isoSeconds } from "../platform/isoSeconds.ts";
import { editIniFile } from "./editFile.ts";
import { profileHeader, type IniDocument, type IniSection } from "./IniDocument.ts";
import { sharedIniView } from "./sharedIniView.ts";
import type { AwsConfig, ProfileConfig } from "./types.ts";

/** The key that marks a credentials-file section as written by awsmfa. */
export const WRITTEN_MARKER = "awsmfa_written_for";
/** When the credentials in a written section expire (RFC 3339, UTC). */
export const EXPIRATION_KEY = "expiration";

export interface WrittenCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** A section awsmfa wrote, as `awsmfa list` shows it. */
export interface WrittenSection {
  /** The section (profile) name in the credentials file. */
  readonly name: string;
  /** The profile whose credentials it holds. */
  readonly profile: string;
  /** RFC 3339, or null when the key is missing or unreadable. */
  readonly expiration: string | null;
}

/** Who a section name belongs to, before a write. */
export type SectionOwner =
  | { readonly kind: "absent" }
  | { readonly kind: "ours"; readonly profile: string; readonly line: number }
  | {
      readonly kind: "foreign";
      /** Why it is not ours, for the message: "holds long-term keys", ... */
      readonly why: string;
      /** Where: "~/.aws/credentials:12". */
      readonly where: string;
    };

/** Every written section in the config model, sorted by name. */
export function writtenSectionsOf(config: AwsConfig): WrittenSection[] {
  const out: WrittenSection[] = [];
  for (const p of config.profiles.values()) {
    if (!isWrittenProfile(p)) continue;
    const raw = p.raw[EXPIRATION_KEY];
    out.push({
      name: p.name,
      profile: p.raw[WRITTEN_MARKER] ?? "",
      expiration: raw !== undefined && !Number.isNaN(Date.parse(raw)) ? raw : null,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A profile that only exists because awsmfa wrote it into the credentials file. */
export function isWrittenProfile(p: {
  readonly inCredentials: boolean;
  readonly raw: Readonly<Record<string, string>>;
}): boolean {
  return p.inCredentials && p.raw[WRITTEN_MARKER] !== undefined;
}

/**
 * Who owns `name` in the credentials document. Every same-named section
 * counts (the SDKs merge them), and a profile of that name in the config
 * file makes the name someone else's: keys written under it would change
 * what that profile means.
 */
export function sectionOwner(
  doc: IniDocument,
  name: string,
  configProfile: ConfigSide | undefined,
): SectionOwner {
  const sections = doc.getSections(profileHeader("credentials", name));
  if (sections.length === 0) {
    if (configProfile !== undefined) {
      return {
        kind: "foreign",
        why: "is a profile in the config file",
        where: configProfile.where,
      };
    }
    return { kind: "absent" };
  }
  for (const s of sections) {
    if (s.get(WRITTEN_MARKER) === undefined) {
      return { kind: "foreign", why: whyForeign(s), where: `${doc.file}:${String(s.line)}` };
    }
  }
  // A config profile that only adds settings (region, output, ...) to a
  // section we wrote leaves it ours: that is what the AWS CLI needs next to
  // it, and refreshing the keys does not change what it means.
  if (configProfile !== undefined && !configProfile.onlySettings) {
    return {
      kind: "foreign",
      why: "is also a profile in the config file",
      where: configProfile.where,
    };
  }
  const last = sections.at(-1);
  return {
    kind: "ours",
    profile: last?.get(WRITTEN_MARKER) ?? "",
    line: last?.line ?? 0,
  };
}

/**
 * sectionOwner from the loaded config model, before any credentials are
 * fetched (so a refused write costs no MFA code). writeSection checks
 * again under the file's lock.
 */
export function ownerOfProfile(
  p: ProfileConfig | undefined,
  configSide: ConfigSide | undefined,
): SectionOwner {
  if (p === undefined) return { kind: "absent" };
  const where = `${p.location.file}:${String(p.location.line)}`;
  if (p.inConfig && !(isWrittenProfile(p) && configSide?.onlySettings === true)) {
    return {
      kind: "foreign",
      why: p.inCredentials
        ? "is also a profile in the config file"
        : "is a profile in the config file",
      where,
    };
  }
  if (!isWrittenProfile(p)) {
    const longTerm = p.staticKeys !== undefined && p.staticKeys.sessionToken === undefined;
    return {
      kind: "foreign",
      why: longTerm ? "holds long-term keys" : "was not written by awsmfa",
      where,
    };
  }
  return { kind: "ours", profile: p.raw[WRITTEN_MARKER] ?? "", line: p.location.line };
}

/** Throws E_WRITE_NOT_OURS for a foreign owner unless force. */
export function assertWritable(name: string, owner: SectionOwner, force: boolean): void {
  if (owner.kind === "foreign" && !force) throw notOurs(name, owner, "overwrite");
}

function whyForeign(s: IniSection): string {
  const keyId = s.get("aws_access_key_id");
  if (keyId !== undefined && s.get("aws_session_token") === undefined) {
    return "holds long-term keys";
  }
  return "was not written by awsmfa";
}

/**
 * Keys that decide where a profile's credentials come from. A config-file
 * profile with any of them next to a section we wrote is someone's profile;
 * one without them only adds settings (region, output, cli_pager,
 * retry_mode, s3 = ...) to ours.
 */
const CREDENTIAL_KEYS: readonly string[] = [
  "aws_access_key_id",
  "aws_secret_access_key",
  "aws_session_token",
  "role_arn",
  "source_profile",
  "credential_source",
  "credential_process",
  "web_identity_token_file",
  "mfa_serial",
  "mfa_process",
  "include_profile",
  "sso_session",
  "vault_path",
  WRITTEN_MARKER,
];

/** The config file's `[profile NAME]` next to a credentials section of that name. */
export interface ConfigSide {
  /** Where it is: "~/.aws/config:3". */
  readonly where: string;
  /** It holds no key that decides where credentials come from (CREDENTIAL_KEYS, sso_*). */
  readonly onlySettings: boolean;
  /** Its own `region`, which the AWS CLI uses unless the credentials section sets one. */
  readonly region: string | undefined;
}

/** The profile `name` of a parsed config file, or undefined when it has none. */
export function configSideOf(configDoc: IniDocument, name: string): ConfigSide | undefined {
  const g = sharedIniView(configDoc, "config", { includeEmpty: true }).get(name);
  if (g?.kind !== "profile") return undefined;
  const keys = [...g.values.keys()];
  return {
    where: `${configDoc.file}:${String(g.sections[0]?.line ?? 1)}`,
    onlySettings: !keys.some((k) => CREDENTIAL_KEYS.includes(k) || k.startsWith("sso_")),
    region: g.values.get("region")?.value,
  };
}

export interface WriteSectionOptions {
  /** The section to write. */
  readonly name: string;
  /** The profile the credentials are for (recorded in the marker). */
  readonly profile: string;
  readonly credentials: WrittenCredentials;
  /** Overwrite a section awsmfa did not write. */
  readonly force: boolean;
  /** The config-file profile of the same name, if there is one. */
  readonly configProfile?: ConfigSide | undefined;
  /**
   * The region to write beside the keys, where the AWS CLI and SDKs read it
   * for this profile (they merge the credentials file's section into the
   * profile, and its keys win). Undefined: no region key in a section of
   * ours (a config profile's own region then applies).
   */
  readonly region?: string | undefined;
}

export interface WriteSectionResult {
  /** What the section was before: absent (created), ours (replaced) or foreign (forced). */
  readonly before: SectionOwner["kind"];
  /** The profile the replaced section was written for, when it was ours. */
  readonly previousProfile: string | undefined;
}

/**
 * Writes the credentials into `[name]` of the document: keys of a section
 * that exists are replaced in place (nothing else in the file changes), a
 * missing section is appended. Refuses (E_WRITE_NOT_OURS) a section awsmfa
 * did not write unless `force`.
 */
export function applyWrite(doc: IniDocument, o: WriteSectionOptions): WriteSectionResult {
  checkCredentialValues(o.credentials);
  const owner = sectionOwner(doc, o.name, o.configProfile);
  assertWritable(o.name, owner, o.force);
  const header = profileHeader("credentials", o.name);
  const c = o.credentials;
  doc.setKey(header, "aws_access_key_id", c.accessKeyId);
  doc.setKey(header, "aws_secret_access_key", c.secretAccessKey);
  doc.setKey(header, "aws_session_token", c.sessionToken);
  doc.setKey(header, EXPIRATION_KEY, isoSeconds(c.expiration));
  doc.setKey(header, WRITTEN_MARKER, o.profile);
  if (o.region !== undefined) doc.setKey(header, "region", o.region);
  // A section awsmfa wrote says only what this write knows; a forced
  // section keeps its other keys.
  else if (owner.kind === "ours") doc.removeKey(header, "region");
  return { before: owner.kind, previousProfile: owner.kind === "ours" ? owner.profile : undefined };
}

/**
 * Removes `[name]` (every section of that name) from the document. Returns
 * false when there is none; refuses (E_WRITE_NOT_OURS) a section awsmfa did
 * not write unless `force`.
 */
export function applyRemove(doc: IniDocument, name: string, force: boolean): boolean {
  const owner = sectionOwner(doc, name, undefined);
  if (owner.kind === "absent") return false;
  if (owner.kind === "foreign" && !force) throw notOurs(name, owner, "remove");
  return doc.removeSection(profileHeader("credentials", name)) > 0;
}

/** Names of every section in the document that awsmfa wrote. */
export function writtenNames(doc: IniDocument): string[] {
  const names = new Set<string>();
  for (const s of doc.sections()) {
    if (s.id !== undefined && s.get(WRITTEN_MARKER) !== undefined) names.add(s.id);
  }
  // A name with one of ours and one foreign section is not ours to remove.
  return [...names].filter((n) => sectionOwner(doc, n, undefined).kind === "ours");
}

export interface CredentialsFile {
  readonly path: string;
  /** How it is named in messages: "~/.aws/credentials". */
  readonly label: string;
}

/** applyWrite on the file: locked, atomic, 0600, every other byte kept. */
export async function writeSection(
  file: CredentialsFile,
  o: WriteSectionOptions,
): Promise<WriteSectionResult> {
  const { result } = await editIniFile(file.path, (doc) => applyWrite(doc, o), {
    label: file.label,
  });
  return result;
}

/** applyRemove on the file (nothing written when there is nothing to remove). */
export async function removeSections(
  file: CredentialsFile,
  names: readonly string[] | "all-written",
  force: boolean,
): Promise<string[]> {
  const { result } = await editIniFile(
    file.path,
    (doc) => {
      const targets = names === "all-written" ? writtenNames(doc) : names;
      return targets.filter((n) => applyRemove(doc, n, force));
    },
    { label: file.label },
  );
  return result;
}

function notOurs(
  name: string,
  owner: Extract<SectionOwner, { kind: "foreign" }>,
  verb: "overwrite" | "remove",
): AwsmfaError {
  return new AwsmfaError(
    "E_WRITE_NOT_OURS",
    `${owner.where}: [${name}] ${owner.why}; awsmfa will not ${verb} it.`,
    {
      hint:
        verb === "overwrite"
          ? `Choose another section with --to NAME, or pass --force to replace its keys.`
          : `Remove it by hand, or pass --force if you are sure.`,
    },
  );
}
