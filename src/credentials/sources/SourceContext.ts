/**
 * What a long-term credential source needs to load its credentials. One
 * file per source kind beside this one; loadLongTerm.ts dispatches.
 */
import type { LongTermSource, MfaDevice } from "../plan/types.ts";
import type { ProcessCredentials } from "../credentialProcess.ts";
import type { EngineDeps } from "../types.ts";

export interface SourceContext {
  readonly deps: EngineDeps;
  /** Profiles awsmfa processes above us are resolving, and the one asked for last. */
  readonly resolving: readonly string[];
  /** An MFA code for a device the source itself checks (Vault's mfa_code), asked once per run. */
  readonly mfaCode: (device: MfaDevice) => Promise<string>;
}

export interface SourceKind<K extends LongTermSource["kind"]> {
  load(
    source: Extract<LongTermSource, { kind: K }>,
    ctx: SourceContext,
  ): Promise<ProcessCredentials>;
  /** How the credentials are named in messages ("the stored keys of profile alice"). */
  describe(source: Extract<LongTermSource, { kind: K }>): string;
}
