/**
 * Which backend the user asked for: --backend, AWSMFA_BACKEND, aws-vault's
 * AWS_VAULT_BACKEND. Dependency-free, because every command resolves it
 * (the keyring code itself loads only when a keyring is used).
 */
import { usageError } from "../errors.ts";
import type { BackendName } from "./SecretStore.ts";
import type { Env } from "../platform/env.ts";

export const BACKEND_NAMES: readonly BackendName[] = [
  "file",
  "keychain",
  "secret-service",
  "wincred",
  "keyutils",
  "pass",
];

/**
 * aws-vault's backend names that differ from ours. KWallet (5.97 and later)
 * serves the Secret Service API, which is how we reach it.
 */
const AWS_VAULT_NAMES: Readonly<Record<string, BackendName>> = {
  keyctl: "keyutils",
  kwallet: "secret-service",
};

export interface ResolvedBackend {
  readonly name: BackendName;
  /** Where it came from: "--backend", "AWSMFA_BACKEND" or "AWS_VAULT_BACKEND". */
  readonly source: "--backend" | "AWSMFA_BACKEND" | "AWS_VAULT_BACKEND";
  /** Said under --debug when an aws-vault name was translated. */
  readonly note?: string;
}

/**
 * The backend the user asked for, or undefined when nobody did (then
 * openStore picks the default). Our own names are accepted everywhere; aws-vault's
 * names (keyctl, kwallet) too, because users copy their AWS_VAULT_BACKEND.
 */
export function resolveBackendName(input: {
  readonly flag?: string | undefined;
  readonly env: Env;
}): ResolvedBackend | undefined {
  // Order: the flag beats our variable beats aws-vault's, so a migrating
  // user can override an old AWS_VAULT_BACKEND without unsetting it.
  const candidates: [ResolvedBackend["source"], string | undefined][] = [
    ["--backend", input.flag],
    ["AWSMFA_BACKEND", input.env.AWSMFA_BACKEND],
    ["AWS_VAULT_BACKEND", input.env.AWS_VAULT_BACKEND],
  ];
  for (const [source, raw] of candidates) {
    if (raw === undefined || (raw === "" && source !== "--backend")) continue;
    const value = raw.trim().toLowerCase();
    const ours = BACKEND_NAMES.find((b) => b === value);
    if (ours !== undefined) return { name: ours, source };
    const mapped = AWS_VAULT_NAMES[value];
    if (mapped !== undefined) {
      return {
        name: mapped,
        source,
        note: `aws-vault's backend '${value}' is '${mapped}' in awsmfa`,
      };
    }
    throw usageError(
      `Unknown backend '${raw}' (from ${source}).`,
      `Use one of: ${BACKEND_NAMES.join(", ")} (aws-vault's keyctl and kwallet are accepted too).`,
    );
  }
  return undefined;
}
