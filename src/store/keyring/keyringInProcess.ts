/**
 * The kernel keyring (keyutils) called in this process. The kernel keyring
 * never blocks (no D-Bus, no prompt), so unlike the Secret Service it needs
 * no killable helper process (keyringProcess.ts): the same operations
 * (keyringOps.ts), the same item names and format, without node's start-up
 * for a second process. @napi-rs/keyring is imported on first use only.
 *
 * One trap stays: a process whose session keyring is only the user's
 * default one (no PAM login session: cron, some containers and ssh set-ups)
 * gets a new, anonymous session keyring from the kernel on its first
 * keyring call, and keys written there die with the process. The helper
 * process used to show it by asking a second helper; in this process a
 * child would inherit that new keyring and read the key, so instead the
 * first call looks whether a session keyring appeared (/proc/keys) while it
 * opened the keyring. Another process starting a session in that same
 * instant would be taken for ours: the write fails loudly, never silently.
 */
import { readFile } from "node:fs/promises";
import { keyringFailure } from "./keyringErrors.ts";
import { runNativeOps, type NativeKeyring } from "./keyringOps.ts";
import type { KeyringRequest, KeyringResult } from "./keyringProtocol.ts";

export interface KeyringRunner {
  /** Runs the ops in order; rejects with an AwsmfaError. */
  run(request: KeyringRequest): Promise<KeyringResult[]>;
}

interface Opened {
  readonly native: NativeKeyring;
  /** The session keyring was made by our first call: keys written now die with this process. */
  readonly sessionDiesWithUs: boolean;
}

// Per process, as the kernel's session keyring is.
let opened: Promise<Opened> | undefined;

function open(): Promise<Opened> {
  opened ??= (async () => {
    const native: NativeKeyring = await import("@napi-rs/keyring");
    const before = await sessionKeyrings();
    // Opening an entry joins the session keyring (creating one in the trap above).
    new native.Entry("awsmfa", "probe:awsmfa", { linux: { store: "keyutils" } });
    const after = await sessionKeyrings();
    const appeared =
      before !== undefined && after !== undefined && [...after].some((id) => !before.has(id));
    return { native, sessionDiesWithUs: appeared };
  })();
  return opened;
}

/**
 * The session keyrings this process can see, by id; undefined when
 * /proc/keys cannot be read (then the trap cannot be told, and is not assumed).
 */
async function sessionKeyrings(): Promise<Set<string> | undefined> {
  let text: string;
  try {
    text = await readFile("/proc/keys", "utf8");
  } catch {
    return undefined;
  }
  const ids = new Set<string>();
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[7] === "keyring" && f[8]?.startsWith("_ses") === true && f[0] !== undefined)
      ids.add(f[0]);
  }
  return ids;
}

/** The keyutils store's runner: every call in this process, no helper. */
export function inProcessKeyring(): KeyringRunner {
  return {
    async run(request) {
      let o: Opened;
      try {
        o = await open();
      } catch (e) {
        opened = undefined; // the next call tries again
        throw keyringFailure(request.store, e instanceof Error ? e.message : String(e));
      }
      try {
        return runNativeOps(o.native, request);
      } catch (e) {
        throw keyringFailure(request.store, e instanceof Error ? e.message : String(e));
      }
    },
  };
}

/** Whether keys written in this process die with it (see the trap above). */
export async function keyutilsSessionDiesWithUs(): Promise<boolean> {
  return (await open()).sessionDiesWithUs;
}
