/** The id a file store is known by in the agent: the hash of its store.json text. */
import { createHash } from "node:crypto";

export function storeId(headerText: string): string {
  return createHash("sha256").update(headerText).digest("hex");
}
