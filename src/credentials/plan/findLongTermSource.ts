/**
 * Where the long-term credentials of a chain come from (see the order below).
 * A new kind of source (a broker such as Vault, IAM Identity Center) is one
 * more guard here, placed where its "why" says.
 */
import { AwsmfaError } from "../../errors.ts";
import type { ProfileConfig } from "../../config/types.ts";
import { parseAwsmfaCall } from "../credentialProcess.ts";
import { at } from "./at.ts";
import { mfaDevice } from "./mfaDevice.ts";
import type { LongTermSource, PlanContext } from "./types.ts";

/**
 * The first profile in the chain that holds long-term credentials itself.
 * The order is deliberate:
 * 1. vault_path: a key only awsmfa reads, so it says what the user meant
 *    for awsmfa, and it names a broker whose whole point is that no
 *    personal key is used. It beats the store and plain keys (leftovers
 *    from before Vault, said in --debug) and a source_profile, and above
 *    all the profile's own credential_process, which for a Vault profile is
 *    normally `awsmfa export ... <this profile>` (that is how the AWS CLI
 *    and SDKs get to Vault through us);
 * 2. keys in the store: what awsmfa is for; they win even over a
 *    credential_process that calls awsmfa back (the aws-vault layout);
 * 3. keys in plain text, unless the profile names a source_profile (the AWS
 *    CLI then ignores them too, except for source_profile = itself);
 * 4. credential_process, unless it calls awsmfa for this same profile (that
 *    would recurse into ourselves);
 * 5. else follow source_profile (the AWS CLI too: a role profile's
 *    source_profile wins over its sso_* keys);
 * 6. else IAM Identity Center (sso_session or sso_start_url).
 */
export function findLongTermSource(
  chain: readonly ProfileConfig[],
  ctx: PlanContext,
  notes: string[],
): { base: number; source: LongTermSource } {
  for (let k = 0; k < chain.length; k++) {
    const p = chain[k];
    if (p === undefined) break;
    const follows = p.sourceProfile !== undefined && p.sourceProfile !== p.name;
    if (p.vaultPath !== undefined) {
      const ignored = [
        ctx.storedKeys.has(p.name) ? "its stored keys" : undefined,
        p.staticKeys === undefined ? undefined : "its keys in plain text",
        follows ? `source_profile = ${p.sourceProfile ?? ""}` : undefined,
      ].filter((x) => x !== undefined);
      if (ignored.length > 0) {
        notes.push(`profile ${p.name}: vault_path wins over ${ignored.join(", ")}`);
      }
      const path = p.vaultPath.trim().replace(/^\/+/, "");
      const temporary = /\/sts\/[^/]+$/.test(path);
      notes.push(
        `long-term credentials: Vault ${path} for profile ${p.name}${temporary ? " (STS credentials: no GetSessionToken on them)" : ""}`,
      );
      // On an sts/ path the device is Vault's to check (a session_token role
      // with mfa_serial_number): GetSessionToken cannot follow STS credentials.
      const mfa = temporary && chain[0] !== undefined ? mfaDevice(p, chain[0]) : undefined;
      if (mfa !== undefined) {
        notes.push(`profile ${p.name}: the code for ${mfa.serial} goes to Vault (mfa_code)`);
      }
      return {
        base: k,
        source: {
          kind: "vault",
          profile: p.name,
          path,
          where: p.where.vault_path,
          temporary,
          mfa,
        },
      };
    }
    if (ctx.storedKeys.has(p.name)) {
      if (follows) {
        notes.push(
          `profile ${p.name} has keys in the store and source_profile = ${p.sourceProfile ?? ""}; the stored keys win`,
        );
      }
      if (p.credentialProcess !== undefined) {
        notes.push(`profile ${p.name}: using its stored keys, not its credential_process`);
      }
      notes.push(`long-term keys: stored keys of profile ${p.name}`);
      return { base: k, source: { kind: "stored-keys", profile: p.name } };
    }
    if (p.staticKeys !== undefined && !follows) {
      const w = p.staticKeys.where;
      notes.push(
        `long-term keys: profile ${p.name} has keys in plain text in ${w.file}:${String(w.line)}; 'awsmfa add ${p.name}' moves them into the store`,
      );
      return {
        base: k,
        source: {
          kind: "static-keys",
          profile: p.name,
          where: w,
          temporary: p.staticKeys.sessionToken !== undefined,
        },
      };
    }
    if (p.credentialProcess !== undefined) {
      const call = parseAwsmfaCall(p.credentialProcess);
      const where = p.where.credential_process;
      if (call === undefined || (call.profile !== undefined && call.profile !== p.name)) {
        notes.push(`long-term keys: credential_process of profile ${p.name}`);
        return {
          base: k,
          source: {
            kind: "credential-process",
            profile: p.name,
            command: p.credentialProcess,
            where,
          },
        };
      }
      if (!follows) {
        throw new AwsmfaError(
          "E_NO_STORED_KEYS",
          `Profile ${p.name} has no keys in the store, and its credential_process${at(where)} calls awsmfa for ${p.name} itself.`,
          { hint: `Store its keys with 'awsmfa add ${p.name}'.` },
        );
      }
      notes.push(
        `profile ${p.name}: its credential_process calls awsmfa back; following source_profile instead`,
      );
    }
    if (follows) continue;
    if (p.ssoStartUrl !== undefined || p.ssoSession !== undefined) {
      notes.push(
        `long-term credentials: IAM Identity Center role of profile ${p.name} (temporary: no GetSessionToken on them)`,
      );
      return { base: k, source: { kind: "sso", profile: p.name, where: p.location } };
    }
    throw new AwsmfaError(
      "E_NO_CREDENTIALS",
      `Profile ${p.name}${at(p.location)} has no keys in the store, no credential_process and no source_profile${k > 0 ? ` (reached from ${chain[0]?.name ?? ""})` : ""}.`,
      { hint: `Store its keys with 'awsmfa add ${p.name}', or set source_profile.` },
    );
  }
  throw new Error("findLongTermSource: chain ended without a root");
}
