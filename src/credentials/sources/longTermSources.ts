/**
 * Every kind of long-term credential source, by kind. The switches are
 * exhaustive: a new kind in LongTermSource (plan/types.ts) does not compile
 * until it is handled here. A new source (Vault, IAM Identity Center) is
 * one file beside this one, a case in each switch, and one guard in
 * plan/findLongTermSource.ts.
 */
import type { ProcessCredentials } from "../credentialProcess.ts";
import type { LongTermSource } from "../plan/types.ts";
import { processSource } from "./processSource.ts";
import { ssoSource } from "./ssoSource.ts";
import type { SourceContext } from "./SourceContext.ts";
import { staticKeysSource } from "./staticKeysSource.ts";
import { storedKeysSource } from "./storedKeysSource.ts";
import { vaultSource } from "./vaultSource.ts";

export function loadLongTerm(
  source: LongTermSource,
  ctx: SourceContext,
): Promise<ProcessCredentials> {
  switch (source.kind) {
    case "stored-keys":
      return storedKeysSource.load(source, ctx);
    case "static-keys":
      return staticKeysSource.load(source, ctx);
    case "credential-process":
      return processSource.load(source, ctx);
    case "vault":
      return vaultSource.load(source, ctx);
    case "sso":
      return ssoSource.load(source, ctx);
  }
}

/** How the source's credentials are named in messages. */
export function describeSource(source: LongTermSource): string {
  switch (source.kind) {
    case "stored-keys":
      return storedKeysSource.describe(source);
    case "static-keys":
      return staticKeysSource.describe(source);
    case "credential-process":
      return processSource.describe(source);
    case "vault":
      return vaultSource.describe(source);
    case "sso":
      return ssoSource.describe(source);
  }
}
