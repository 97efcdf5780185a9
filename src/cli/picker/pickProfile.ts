/**
 * `awsmfa exec|export|write` without a profile, on a terminal: gather the
 * profiles, their cached sessions and the recently-used order, and let the
 * user pick. The store is opened without a terminal prompt: when its
 * passphrase is not at hand, sessions show as "cached" without their time
 * left rather than asking for the passphrase twice (the engine asks once).
 */
import { AwsmfaError, isAwsmfaError } from "../../errors.ts";
import { parseStoredSession, type SecretStore } from "../../store/SecretStore.ts";
import type { CommandInput } from "../command.ts";
import { loadConfig } from "../services.ts";
import { profileItems, type SessionEntry } from "./profileItems.ts";
import { readRecent, recentFile } from "./recent.ts";

export async function pickProfile(input: CommandInput, command: string): Promise<string> {
  const config = await loadConfig(input);
  const recent = await readRecent(recentFile(input));
  const sessions = await readSessions(input);
  const items = profileItems(config, sessions, recent, input.ctx.clock.now());
  if (items.length === 0) {
    throw new AwsmfaError(
      "E_NO_PROFILES",
      `${command}: there is no profile to pick from in ${config.configFileLabel ?? config.configFile}.`,
      { hint: "Add one ('awsmfa add PROFILE --add-config'), then run the command again." },
    );
  }
  const { pickOnTerminal } = await import("./terminal.ts");
  const name = await pickOnTerminal(items, { title: `Profile for awsmfa ${command}` });
  input.debug(`profile ${name} picked on the terminal`);
  return name;
}

async function readSessions(input: CommandInput): Promise<SessionEntry[]> {
  const { openStore } = await import("../../store/openStore.ts");
  let store: SecretStore;
  try {
    store = await openStore({
      backend: input.globals.backend,
      fileDir: input.globals.fileDir,
      env: input.ctx.env,
      homedir: input.ctx.homedir,
      platform: input.ctx.platform,
      nodePath: input.ctx.nodePath,
      uid: input.ctx.uid,
      clock: input.ctx.clock,
      tty: () =>
        Promise.reject(
          new AwsmfaError("E_NO_TTY", "The picker does not ask for the store's passphrase."),
        ),
    });
  } catch (e) {
    // The picker still works without the store; the engine reports the problem properly.
    input.debug(`picker: no session information (${describe(e)})`);
    return [];
  }
  const entries: SessionEntry[] = [];
  let canRead = true;
  for (const ref of await store.list("session")) {
    let expiresAt: number | undefined;
    if (canRead) {
      try {
        const raw = await store.get("session", ref.name);
        expiresAt = raw === undefined ? undefined : expirationOf(raw);
      } catch (e) {
        if (!isAwsmfaError(e) || e.code !== "E_NO_TTY") throw e;
        input.debug("picker: the store's passphrase is not at hand; sessions shown without expiry");
        canRead = false;
      }
    }
    entries.push({ name: ref.name, expiresAt });
  }
  return entries;
}

/** The expiry of a stored session, nothing else read out. */
function expirationOf(raw: string): number | undefined {
  const session = parseStoredSession(raw);
  return session === undefined ? undefined : Date.parse(session.expiration);
}

function describe(e: unknown): string {
  return isAwsmfaError(e) ? e.code : e instanceof Error ? e.name : "unknown error";
}
