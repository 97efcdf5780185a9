/** " (file:line)" after a profile or key named in a message, or nothing. */
import type { SourceLocation } from "../../config/types.ts";

export function at(w: SourceLocation | undefined): string {
  return w === undefined ? "" : ` (${w.file}:${String(w.line)})`;
}
