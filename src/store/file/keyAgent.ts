/**
 * What the file store needs from an unlock agent (src/agent/ provides it):
 * the store's cipher when the agent holds the key, and a place to leave a
 * key just derived from the passphrase. The store never sends the
 * passphrase anywhere.
 */
import type { Sealed } from "./crypto.ts";

export interface Cipher {
  /** The plaintext, or undefined when the item does not authenticate. */
  open(sealed: Sealed, aad: Buffer): Promise<Buffer | undefined>;
  seal(plain: Buffer, aad: Buffer): Promise<Sealed>;
}

export interface KeyAgent {
  /** The cipher of the store whose store.json is `headerText`, when the agent holds its key. */
  cipher(headerText: string): Promise<Cipher | undefined>;
  /** A key just derived for that store: the agent may keep it (never fails the caller). */
  remember(headerText: string, key: Buffer): Promise<void>;
}
