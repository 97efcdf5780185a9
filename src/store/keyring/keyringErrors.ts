/**
 * What the OS keyrings' failures say, wherever the call ran: in the keyring
 * helper process (keyringProcess.ts) or in this one (keyringInProcess.ts).
 */
import { AwsmfaError } from "../../errors.ts";
import type { NativeStore } from "./keyringProtocol.ts";

/** What each store is called in messages. */
export const STORE_TITLES: Readonly<Record<NativeStore, string>> = {
  "secret-service": "the Secret Service",
  keyutils: "the kernel keyring (keyutils)",
  keychain: "the macOS Keychain",
  wincred: "the Windows Credential Manager",
};

/** keyutils' own trap: keys are readable only by processes that possess them. */
const KEYUTILS_POSSESSION_HINT =
  "A process reads only the kernel keys it possesses through its session keyring (keyctl show @s): run awsmfa in a login session or under 'keyctl session', or use --backend file.";

const UNLOCK_HINTS: Readonly<Record<NativeStore, string>> = {
  "secret-service": "start/unlock your keyring (gnome-keyring, KWallet) or use --backend file",
  keyutils: "check the session keyring (keyctl show @s) or use --backend file",
  keychain: "unlock the login keychain (Keychain Access) or use --backend file",
  wincred: "check the Windows Credential Manager or use --backend file",
};

function seconds(ms: number): string {
  return `${String(Math.round(ms / 100) / 10)} s`;
}

/** A timeout: the store did not answer. */
export function keyringTimeoutError(store: NativeStore, timeoutMs: number): AwsmfaError {
  return new AwsmfaError(
    "E_KEYRING_TIMEOUT",
    `${capitalize(STORE_TITLES[store])} did not answer in ${seconds(timeoutMs)}; ${UNLOCK_HINTS[store]}.`,
    { hint: `Start or unlock it, or pick another store with --backend (or AWSMFA_BACKEND).` },
  );
}

/** The store took a write but reading it back gave something else (or nothing). */
export function keyringNotReadBackError(
  store: NativeStore,
  kind: string,
  name: string,
): AwsmfaError {
  return new AwsmfaError(
    "E_KEYRING",
    `${capitalize(STORE_TITLES[store])} accepted the ${kind} item for '${name}' but did not give it back when read.`,
    {
      hint:
        store === "keyutils"
          ? KEYUTILS_POSSESSION_HINT
          : "Check that the keyring is unlocked and writable, or use --backend file.",
    },
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The store answered with an error (locked, no bus, access denied, ...). */
export function keyringFailure(store: NativeStore, message: string): AwsmfaError {
  const noBus =
    /Failed to connect|No such file|DBUS_SESSION_BUS_ADDRESS|org\.freedesktop\.DBus\.Error\.ServiceUnknown/i.test(
      message,
    );
  const hint = noBus
    ? "No D-Bus session bus or no Secret Service on it: start your desktop keyring (e.g. gnome-keyring-daemon), or use --backend file."
    : store === "keyutils" && /AccessDenied/.test(message)
      ? KEYUTILS_POSSESSION_HINT
      : `${capitalize(UNLOCK_HINTS[store])}.`;
  return new AwsmfaError("E_KEYRING", `${capitalize(STORE_TITLES[store])} failed: ${message}`, {
    hint,
  });
}
