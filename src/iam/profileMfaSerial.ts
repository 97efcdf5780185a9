/**
 * Sets or removes a profile's `mfa_serial` in the config file, through the
 * lossless editor (locked, atomic, every other byte kept).
 */
import { editIniFile } from "../config/editFile.ts";
import type { IniDocument } from "../config/IniDocument.ts";

export interface MfaSerialEdit {
  /** The value before the edit, if the profile had one. */
  readonly previous: string | undefined;
  readonly changed: boolean;
}

export function setProfileMfaSerial(
  configFile: string,
  label: string,
  profile: string,
  serial: string,
): Promise<MfaSerialEdit> {
  return editMfaSerial(configFile, label, (doc) => {
    const header = doc.profileSectionHeader("config", profile) ?? `profile ${profile}`;
    const previous = doc.getSection(header)?.get("mfa_serial");
    doc.setKey(header, "mfa_serial", serial);
    return previous;
  });
}

/** Removes `mfa_serial` from the profile when it names `serial`; changed false otherwise. */
export function removeProfileMfaSerial(
  configFile: string,
  label: string,
  profile: string,
  serial: string,
): Promise<MfaSerialEdit> {
  return editMfaSerial(configFile, label, (doc) => {
    const header = doc.profileSectionHeader("config", profile);
    if (header === undefined) return undefined;
    const previous = doc.getSection(header)?.get("mfa_serial");
    if (previous === serial) doc.removeKey(header, "mfa_serial");
    return previous;
  });
}

/** One edit of the config file; `edit` returns the value mfa_serial had before. */
async function editMfaSerial(
  configFile: string,
  label: string,
  edit: (doc: IniDocument) => string | undefined,
): Promise<MfaSerialEdit> {
  const { changed, result } = await editIniFile(configFile, edit, { label });
  return { previous: result, changed };
}
