/**
 * Which profiles have keys in plain text, where, and what else their
 * sections say that decides whether moving the keys is safe. Pure: works
 * on parsed documents.
 */
import { profileNameOf, type IniDocument, type IniFileKind } from "../config/IniDocument.ts";

export const KEY_ID = "aws_access_key_id";
export const SECRET = "aws_secret_access_key";
/** aws_security_token is boto2's name for the session token; botocore still reads it. */
export const TOKEN_KEYS = ["aws_session_token", "aws_security_token"] as const;
export const STATIC_KEY_NAMES: readonly string[] = [KEY_ID, SECRET, ...TOKEN_KEYS];

/** A value and where the SDK reads it from (the last occurrence). */
export interface Located {
  readonly value: string;
  /** `~/.aws/credentials:3` */
  readonly at: string;
}

/** The static key lines of one profile in one file. */
export interface FileKeys {
  readonly file: IniFileKind;
  readonly accessKeyId: Located | undefined;
  readonly secretAccessKey: Located | undefined;
  readonly sessionToken: Located | undefined;
}

export interface PlainKeys {
  readonly profile: string;
  readonly inCredentials: FileKeys | undefined;
  readonly inConfig: FileKeys | undefined;
}

/** The value the SDK reads for `key` in the profile's sections of this file (last wins). */
export function profileValue(
  doc: IniDocument,
  kind: IniFileKind,
  profile: string,
  key: string,
): Located | undefined {
  const header = doc.profileSectionHeader(kind, profile);
  if (header === undefined) return undefined;
  let found: Located | undefined;
  for (const section of doc.getSections(header)) {
    for (const e of section.entries) {
      if (e.key === key) found = { value: e.value, at: `${doc.file}:${String(e.line)}` };
    }
  }
  return found;
}

/** The static key lines of `profile` in one file, or undefined when it has none. */
export function fileKeys(
  doc: IniDocument,
  kind: IniFileKind,
  profile: string,
): FileKeys | undefined {
  const get = (key: string) => profileValue(doc, kind, profile, key);
  const keys: FileKeys = {
    file: kind,
    accessKeyId: get(KEY_ID),
    secretAccessKey: get(SECRET),
    sessionToken: get(TOKEN_KEYS[0]) ?? get(TOKEN_KEYS[1]),
  };
  const any =
    keys.accessKeyId !== undefined ||
    keys.secretAccessKey !== undefined ||
    keys.sessionToken !== undefined;
  return any ? keys : undefined;
}

/** Profile names in a file, in file order, each once. */
function profileNames(doc: IniDocument, kind: IniFileKind): string[] {
  const names: string[] = [];
  for (const s of doc.sections()) {
    const name = profileNameOf(kind, s.id);
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Every profile with a static key line in either file: credentials-file
 * profiles first (in file order), then config-only ones.
 */
export function findPlainKeys(config: IniDocument, credentials: IniDocument): PlainKeys[] {
  const names = profileNames(credentials, "credentials");
  for (const n of profileNames(config, "config")) if (!names.includes(n)) names.push(n);
  const out: PlainKeys[] = [];
  for (const profile of names) {
    const inCredentials = fileKeys(credentials, "credentials", profile);
    const inConfig = fileKeys(config, "config", profile);
    if (inCredentials !== undefined || inConfig !== undefined) {
      out.push({ profile, inCredentials, inConfig });
    }
  }
  return out;
}

/**
 * A profile setting as botocore reads it: the credentials file's section is
 * merged over the config file's, so its value wins.
 */
export function effectiveSetting(
  config: IniDocument,
  credentials: IniDocument,
  profile: string,
  key: string,
): Located | undefined {
  return (
    profileValue(credentials, "credentials", profile, key) ??
    profileValue(config, "config", profile, key)
  );
}
