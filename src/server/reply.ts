/** Small response writers shared by the local servers. */
import type { ServerResponse } from "node:http";
import { isAwsmfaError } from "../errors.ts";

export function reply(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = "application/json",
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": String(Buffer.byteLength(body)),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(body);
}

/** 403 and nothing else: no body, no reason (the reason goes to --debug only). */
export function forbidden(res: ServerResponse): void {
  res.writeHead(403, { "Content-Length": "0" });
  res.end();
}

/** A failure the client may see: our message only, never a secret or a stack. */
export function errorBody(message: string): string {
  return JSON.stringify({ message });
}

/** Our errors carry no secrets by contract; anything else is named by its kind only. */
export function describe(e: unknown): string {
  if (isAwsmfaError(e)) return e.hint === undefined ? e.message : `${e.message} ${e.hint}`;
  return `unexpected error (${e instanceof Error ? e.name : typeof e}); see awsmfa's stderr.`;
}
