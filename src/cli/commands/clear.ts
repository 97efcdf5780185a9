import { parseCacheKey } from "../../credentials/cacheKey.ts";
import { planCredentials } from "../../credentials/getCredentials.ts";
import { clearSessions } from "../../credentials/sessionCache.ts";
import { revokeCachedLeases } from "../../vault/revokeCachedLeases.ts";
import { AwsmfaError, isAwsmfaError } from "../../errors.ts";
import type { SecretStore } from "../../store/SecretStore.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { loadConfig, openSecretStore } from "../services.ts";

export const usage = `Usage: awsmfa clear [<profile>]

Removes cached sessions: all of them, or a profile's: the MFA session it
asks for (for a *-mfa profile, the one its roles share), sessions signed
with its keys, and roles assumed through it. Clearing a role profile
removes that role only.
Credentials from Vault (vault_path) are removed too, and their leases
revoked at Vault (an iam_user lease's user and key are deleted; STS
credentials stay valid until they expire, as at AWS).
Stored long-term keys stay.
`;

export const options = {} as const;

export async function run(input: CommandInput): Promise<number> {
  const { positionals } = parseCommandArgs("clear", input.argv, options);
  atMostPositionals("clear", positionals, 1);
  const profile = positionals[0];
  const store = await openSecretStore(input);
  const { env, homedir } = input.ctx;
  const leases = await revokeCachedLeases({ store, env, homedir, debug: input.debug }, profile);
  for (const l of leases) {
    if (l.ok && l.leaseId !== "") {
      input.ctx.stderr(`Revoked Vault lease ${l.leaseId} (profile '${l.profile}').\n`);
    }
  }
  const kept = leases.filter((l) => !l.ok);
  const shared = profile === undefined ? [] : await sessionsUsedBy(input, store, profile);
  const removed = [
    ...leases.filter((l) => l.ok).map((l) => l.name),
    ...(await clearSessions(store, profile, shared, new Set(kept.map((l) => l.name)))),
  ];
  if (kept.length > 0) {
    input.ctx.stderr(
      `Removed ${String(removed.length)} cached session${removed.length === 1 ? "" : "s"}; kept ${String(kept.length)} whose Vault lease could not be revoked.\n`,
    );
    const first = kept[0];
    throw new AwsmfaError(
      "E_VAULT_REVOKE_FAILED",
      `Could not revoke Vault lease ${first?.leaseId ?? ""} (profile '${first?.profile ?? ""}'): ${first?.why ?? ""}`,
      {
        hint: "Its cached credentials stay in the store; run 'awsmfa clear' again once Vault answers, or revoke it with 'vault lease revoke'.",
      },
    );
  }
  if (profile !== undefined && removed.length === 0 && !(await isKnown(input, store, profile))) {
    // A typo should not look like success.
    throw new AwsmfaError(
      "E_PROFILE_NOT_FOUND",
      `No profile '${profile}' in the AWS config files or the store, and no sessions of it.`,
      { hint: "Run 'awsmfa list' to see the profiles there are." },
    );
  }
  input.ctx.stderr(
    `Removed ${removed.length} cached session${removed.length === 1 ? "" : "s"}${profile === undefined ? "" : ` of profile '${profile}'`}.\n`,
  );
  return 0;
}

/**
 * The MFA sessions a profile asks for itself: a `*-mfa` profile's session is
 * cached under its source profile, so its own name does not find it.
 */
async function sessionsUsedBy(
  input: CommandInput,
  store: SecretStore,
  profile: string,
): Promise<string[]> {
  let steps;
  try {
    const config = await loadConfig(input);
    const storedKeys = new Set((await store.list("keys")).map((r) => r.name));
    steps = planCredentials(config, { profile }, { storedKeys, env: input.ctx.env }).steps;
  } catch (e) {
    // A profile that no longer resolves still has sessions to clear by name.
    if (!isAwsmfaError(e)) throw e;
    input.debug(`not looking for shared sessions of ${profile}: ${e.message}`);
    return [];
  }
  // Only the sessions this profile asks for itself (it names the device):
  // clearing one role must not cost its sibling roles a new MFA prompt.
  const wanted = steps.flatMap((s) =>
    s.kind === "session" && (s.profile === profile || s.mfa?.profile === profile)
      ? [`${s.sourceProfile}\0${s.mfa?.serial ?? ""}`]
      : [],
  );
  const names: string[] = [];
  for (const ref of await store.list("session")) {
    const info = parseCacheKey(ref.name);
    if (info?.type !== "session") continue;
    if (wanted.includes(`${info.sourceProfile}\0${info.mfaSerial ?? ""}`)) names.push(ref.name);
  }
  return names;
}

async function isKnown(input: CommandInput, store: SecretStore, profile: string): Promise<boolean> {
  if ((await store.get("keys", profile)) !== undefined) return true;
  try {
    return (await loadConfig(input)).profiles.has(profile);
  } catch (e) {
    if (!isAwsmfaError(e)) throw e;
    return true; // a malformed config is reported by the commands that read it
  }
}
