/**
 * The `[profile NAME]` lines `bootstrap --apply` adds for the new role:
 * role_arn, source_profile, and mfa_serial (the source profile's device:
 * the AWS CLI and SDKs want it on the role profile itself). Only keys whose
 * value differs are written; everything else in the file stays as it was.
 */
import { editIniFile } from "../config/editFile.ts";
import type { ProfileConfig } from "../config/types.ts";

export type ProfileLines = readonly (readonly [key: string, value: string])[];

export function roleProfileLines(
  roleArn: string,
  sourceProfile: string,
  source: ProfileConfig | undefined,
): ProfileLines {
  const lines: [string, string][] = [
    ["role_arn", roleArn],
    ["source_profile", sourceProfile],
  ];
  if (source?.mfaSerial !== undefined) lines.push(["mfa_serial", source.mfaSerial]);
  return lines;
}

/** The lines the profile does not have yet (as the config was read). */
export function missingLines(
  lines: ProfileLines,
  existing: ProfileConfig | undefined,
): ProfileLines {
  return lines.filter(([k, v]) => existing?.raw[k] !== v);
}

export async function writeProfileLines(
  configFile: string,
  label: string,
  profile: string,
  lines: ProfileLines,
): Promise<boolean> {
  const { changed } = await editIniFile(
    configFile,
    (doc) => {
      const header = doc.profileSectionHeader("config", profile) ?? `profile ${profile}`;
      for (const [k, v] of lines) {
        if (doc.getSection(header)?.get(k) !== v) doc.setKey(header, k, v);
      }
    },
    { label },
  );
  return changed;
}
