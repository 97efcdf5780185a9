/**
 * `export`'s options and formats, apart from the command so that the
 * cached fast path (cachedFastPath.ts) parses argv with the same table.
 */
import { credentialOptions } from "./credentialFlags.ts";

export const FORMATS = [
  "env",
  "export-env",
  "fish",
  "powershell",
  "json",
  "ini",
  "credential-process",
] as const;
export type ExportFormat = (typeof FORMATS)[number];

export const exportOptions = {
  ...credentialOptions,
  format: { type: "string", short: "f" },
} as const;
