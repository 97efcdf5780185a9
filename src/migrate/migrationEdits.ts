/**
 * The edits a migration makes to the two files, on an IniDocument: used on
 * in-memory copies for the rehearsal (and --dry-run diff), and under each
 * file's lock for the real change. Pure over the document.
 */
import type { IniDocument } from "../config/IniDocument.ts";
import { AwsmfaError } from "../errors.ts";
import { fileKeys, STATIC_KEY_NAMES } from "./findPlainKeys.ts";
import { sameSecret } from "./sameSecret.ts";
import type { Candidate, MigrateInput } from "./types.ts";

/** Points the profile at awsmfa (credential_process) and drops key lines written in the config. */
export function editConfig(
  doc: IniDocument,
  c: Candidate,
  input: Pick<MigrateInput, "credentialProcess">,
): void {
  const header = doc.profileSectionHeader("config", c.profile);
  if (header === undefined) {
    throw new AwsmfaError(
      "E_CONFIG_VALUE",
      `${doc.file}: '${c.profile}' cannot be written as a profile section.`,
    );
  }
  if (!c.keepCredentialProcess)
    doc.setKey(header, "credential_process", input.credentialProcess(c.profile));
  if (c.inConfig) for (const k of STATIC_KEY_NAMES) doc.removeKey(header, k);
}

/** Drops the profile's key lines from the credentials file. */
export function editCredentials(doc: IniDocument, c: Candidate): void {
  if (!c.inCredentials) return;
  const header = doc.profileSectionHeader("credentials", c.profile);
  if (header === undefined) return;
  for (const k of STATIC_KEY_NAMES) doc.removeKey(header, k);
}

/**
 * Runs `edit` for each candidate whose keys in this file are still the ones
 * stored (the file is re-read under its lock; someone may have changed it).
 */
export function applyEdits(
  doc: IniDocument,
  kind: "config" | "credentials",
  candidates: readonly Candidate[],
  edit: (doc: IniDocument, c: Candidate) => void,
): { ok: Candidate[]; changed: Candidate[] } {
  const ok: Candidate[] = [];
  const changed: Candidate[] = [];
  for (const c of candidates) {
    if (!unchanged(doc, kind, c)) {
      changed.push(c);
      continue;
    }
    edit(doc, c);
    ok.push(c);
  }
  return { ok, changed };
}

/** The file still holds the keys we stored (or none), so editing it loses nothing. */
function unchanged(doc: IniDocument, kind: "config" | "credentials", c: Candidate): boolean {
  if (!(kind === "config" ? c.inConfig : c.inCredentials)) return true;
  const keys = fileKeys(doc, kind, c.profile);
  if (keys === undefined) return true;
  if (keys.sessionToken !== undefined) return false;
  const idOk = keys.accessKeyId === undefined || keys.accessKeyId.value === c.accessKeyId;
  const secretOk =
    keys.secretAccessKey === undefined || sameSecret(keys.secretAccessKey.value, c.secretAccessKey);
  return idOk && secretOk;
}
