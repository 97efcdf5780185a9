/**
 * The agent's wire format: one JSON object per line over a unix socket, one
 * request per connection. Binary values travel as base64. Every answer
 * names the agent's version, so a client never trusts an agent of another
 * awsmfa release (it may read the store differently).
 *
 * The agent holds derived store keys and does the store's AES-GCM work with
 * them: a key and a passphrase never leave it.
 */
export const AGENT_PROTOCOL = 1;

export type AgentRequest =
  | { readonly op: "hello" }
  /** Does the agent hold the key of the store whose store.json hashes to `id`? */
  | { readonly op: "has"; readonly id: string }
  /** Keep this derived key for the store whose header is `header` (checked against it). */
  | { readonly op: "offer"; readonly header: string; readonly key: string }
  | {
      readonly op: "open";
      readonly id: string;
      readonly nonce: string;
      readonly ciphertext: string;
      readonly aad: string;
    }
  | { readonly op: "seal"; readonly id: string; readonly plain: string; readonly aad: string }
  /** Forget every key now. */
  | { readonly op: "lock" }
  /** Forget every key and exit. */
  | { readonly op: "stop" };

export interface AgentResponse {
  readonly ok: boolean;
  readonly version: string;
  readonly protocol: number;
  /** When not ok: locked (no key for that store) or bad (the request or its data is wrong). */
  readonly error?: "locked" | "bad";
  readonly message?: string;
  readonly pid?: number;
  readonly has?: boolean;
  readonly plain?: string;
  readonly nonce?: string;
  readonly ciphertext?: string;
  readonly forgot?: number;
}

/** Largest request line the agent reads (a store item is a few KiB). */
export const MAX_LINE = 1024 * 1024;
