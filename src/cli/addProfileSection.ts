import { editIniFile } from "../config/editFile.ts";
import { profileHeader } from "../config/IniDocument.ts";

/**
 * Adds an empty `[profile NAME]` (or `[default]`) section to the config file
 * when it has none for the profile. true when it was added.
 */
export async function addProfileSection(configFile: string, profile: string): Promise<boolean> {
  const { result } = await editIniFile(configFile, (doc) => {
    if (doc.findProfile("config", profile) !== undefined) return false;
    doc.addSection(profileHeader("config", profile));
    return true;
  });
  return result;
}
