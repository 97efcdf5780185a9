import { parseCacheKey } from "../../credentials/cacheKey.ts";
import { formatDuration } from "../../credentials/durations.ts";
import { isAwsmfaError } from "../../errors.ts";
import type { AwsConfig, ProfileConfig, SourceLocation } from "../../config/types.ts";
import { writtenSectionsOf, type WrittenSection } from "../../config/writtenSections.ts";
import { parseStoredSession, type SecretStore } from "../../store/SecretStore.ts";
import { atMostPositionals, parseCommandArgs } from "../args.ts";
import type { CommandInput } from "../command.ts";
import { loadConfig, openSecretStore } from "../services.ts";
import { listSsoSessions, type ListedSsoSession } from "../../sso/ssoStatus.ts";

export const usage = `Usage: awsmfa list [--json]

Lists every profile in the AWS config and credentials files and every
profile with keys in the store: whether keys are stored (or sit in plain
text in a file), its role, MFA device and source, and its cached sessions
with the time they have left.

  --json   machine-readable output: { version: 1, backend, configFile,
           credentialsFile, configFileExists, credentialsFileExists,
           profiles: [{ name, inConfig, inCredentials, storedKeys,
           plainTextKeys, plainTextKeysFile, region, mfaSerial, roleArn, sourceProfile,
           credentialProcess, sessions: [{ type, roleArn, mfaSerial,
           durationSeconds, expiration }] }],
           writtenSections: [{ name, profile, expiration }],
           configWarnings: [{ code, message, hint }],
           ssoSessions: [{ name, startUrl, region, profiles, cacheFile,
           expiresAt, refreshable, unreadable }] } (null where unknown);
           writtenSections are the sections 'awsmfa write' put in the
           credentials file; ssoSessions the IAM Identity Center sign-ins
           (tokens in the AWS CLI's cache, never shown); configWarnings
           what the AWS tools read differently in the files (duplicate
           sections or keys, ignored sections, inline comments, ...)
`;

export interface ListedSession {
  readonly type: "session" | "role";
  readonly roleArn: string | null;
  readonly mfaSerial: string | null;
  readonly durationSeconds: number;
  /** ISO 8601, or null when it could not be read (no passphrase given). */
  readonly expiration: string | null;
}

export interface ListedProfile {
  readonly name: string;
  readonly inConfig: boolean;
  readonly inCredentials: boolean;
  readonly storedKeys: boolean;
  readonly plainTextKeys: boolean;
  /** The file (absolute path) holding the plain-text keys, or null. */
  readonly plainTextKeysFile: string | null;
  readonly region: string | null;
  readonly mfaSerial: string | null;
  readonly roleArn: string | null;
  readonly sourceProfile: string | null;
  readonly credentialProcess: string | null;
  readonly sessions: readonly ListedSession[];
}

export interface ListJson {
  readonly version: 1;
  readonly backend: string;
  readonly configFile: string;
  readonly credentialsFile: string;
  /** false when the config file does not exist (it was read as empty). */
  readonly configFileExists: boolean;
  readonly credentialsFileExists: boolean;
  readonly profiles: readonly ListedProfile[];
  /** Sections of the credentials file written by 'awsmfa write'. */
  readonly writtenSections: readonly WrittenSection[];
  readonly ssoSessions?: readonly ListedSsoSession[];
  /** What the AWS tools read differently in the config and credentials files. */
  readonly configWarnings: readonly ConfigWarning[];
}

export interface ConfigWarning {
  readonly code: string;
  /** file:line: what */
  readonly message: string;
  readonly hint: string | null;
}

export const options = { json: { type: "boolean" } } as const;

export async function run(input: CommandInput): Promise<number> {
  const { values, positionals } = parseCommandArgs("list", input.argv, options);
  atMostPositionals("list", positionals, 0);
  const config = await loadConfig(input);
  const store = await openSecretStore(input);
  const keyNames = new Set((await store.list("keys")).map((r) => r.name));
  const sessions = await readSessions(store, input);

  const names = new Set([...config.profiles.keys(), ...keyNames, ...sessions.keys()]);
  const profiles = [...names].sort().map((name): ListedProfile => {
    const p: ProfileConfig | undefined = config.profiles.get(name);
    return {
      name,
      inConfig: p?.inConfig ?? false,
      inCredentials: p?.inCredentials ?? false,
      storedKeys: keyNames.has(name),
      plainTextKeys: p?.staticKeys !== undefined,
      plainTextKeysFile: p?.staticKeys === undefined ? null : keysFile(config, p.staticKeys.where),
      region: p?.region ?? null,
      mfaSerial: p?.mfaSerial ?? null,
      roleArn: p?.roleArn ?? null,
      sourceProfile: p?.sourceProfile ?? null,
      credentialProcess: p?.credentialProcess ?? null,
      sessions: sessions.get(name) ?? [],
    };
  });
  const result: ListJson = {
    version: 1,
    backend: store.backend,
    configFile: config.configFile,
    credentialsFile: config.credentialsFile,
    configFileExists: config.configFileExists ?? true,
    credentialsFileExists: config.credentialsFileExists ?? true,
    profiles,
    writtenSections: writtenSectionsOf(config),
    ssoSessions: await listSsoSessions(config, input.ctx.homedir),
    configWarnings: config
      .diagnostics()
      .map((d) => ({ code: d.code, message: d.message, hint: d.hint ?? null })),
  };
  if (values.json === true) {
    input.ctx.stdout(JSON.stringify(result, null, 2) + "\n");
  } else {
    input.ctx.stdout(renderTable(result, input.ctx.clock.now()));
  }
  return 0;
}

/** The file a profile's plain-text keys were read from (they may sit in the config file). */
function keysFile(config: AwsConfig, where: SourceLocation): string {
  return where.file === config.configFileLabel ? config.configFile : config.credentialsFile;
}

const UNREADABLE = new Set(["E_NO_TTY", "E_STORE_PASSPHRASE"]);

async function readSessions(
  store: SecretStore,
  input: CommandInput,
): Promise<Map<string, ListedSession[]>> {
  const byProfile = new Map<string, ListedSession[]>();
  let canRead = true;
  for (const ref of await store.list("session")) {
    const info = parseCacheKey(ref.name);
    if (info === undefined) continue;
    let expiration: string | null = null;
    if (canRead) {
      try {
        const raw = await store.get("session", ref.name);
        expiration = (raw === undefined ? undefined : parseStoredSession(raw))?.expiration ?? null;
      } catch (e) {
        // Listing needs no secret: a store we cannot unlock (no terminal for
        // the passphrase, or a wrong one) still shows what is cached, the
        // same way whether or not anything is, and says why expiry is missing.
        if (!isAwsmfaError(e) || !UNREADABLE.has(e.code)) throw e;
        input.ctx.stderr(`awsmfa: session expiry not shown: ${e.message}\n`);
        canRead = false;
      }
    }
    const owner = info.type === "session" ? info.sourceProfile : info.profile;
    const list = byProfile.get(owner) ?? [];
    list.push({
      type: info.type,
      roleArn: info.type === "role" ? info.roleArn : null,
      mfaSerial: info.type === "session" ? (info.mfaSerial ?? null) : null,
      durationSeconds: info.durationSeconds,
      expiration,
    });
    byProfile.set(owner, list);
  }
  return byProfile;
}

export function renderTable(result: ListJson, nowMs: number): string {
  const rows: string[][] = [["PROFILE", "KEYS", "ROLE / MFA", "SESSIONS"]];
  const written = new Set(result.writtenSections.map((w) => w.name));
  const sso = new Set((result.ssoSessions ?? []).flatMap((s) => s.profiles));
  for (const p of result.profiles) {
    if (written.has(p.name)) continue;
    const keys = p.storedKeys
      ? "stored"
      : p.plainTextKeys
        ? "PLAIN TEXT"
        : p.credentialProcess !== null
          ? "process"
          : sso.has(p.name)
            ? "sso"
            : "-";
    const what: string[] = [];
    if (p.roleArn !== null) what.push(`role ${shortArn(p.roleArn)}`);
    if (p.mfaSerial !== null) what.push(`mfa ${shortArn(p.mfaSerial)}`);
    if (p.sourceProfile !== null) what.push(`from ${p.sourceProfile}`);
    const sessions = p.sessions.map((s) => {
      const left =
        s.expiration === null
          ? "?"
          : Date.parse(s.expiration) <= nowMs
            ? "expired"
            : formatDuration((Date.parse(s.expiration) - nowMs) / 1000) + " left";
      return `${s.type} ${left}`;
    });
    rows.push([p.name, keys, what.join(", ") || "-", sessions.join("; ") || "-"]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const lines = rows.map((r) =>
    r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "),
  );
  let text = lines.join("\n") + "\n";
  if (result.writtenSections.length > 0) {
    text += `\nWritten by 'awsmfa write' to ${result.credentialsFile} (temporary credentials):\n`;
    const width = Math.max(...result.writtenSections.map((w) => w.name.length));
    for (const w of result.writtenSections) {
      const left =
        w.expiration === null
          ? "expiry unknown"
          : Date.parse(w.expiration) <= nowMs
            ? `expired ${w.expiration}`
            : `${formatDuration((Date.parse(w.expiration) - nowMs) / 1000)} left (${w.expiration})`;
      text += `  ${w.name.padEnd(width)}  for ${w.profile}, ${left}\n`;
    }
  }
  text += ssoTable(result.ssoSessions ?? [], nowMs);
  text += `\nBackend: ${result.backend}.`;
  const plainFiles = [
    ...new Set(
      result.profiles.flatMap((p) =>
        p.plainTextKeysFile !== null && !written.has(p.name) ? [p.plainTextKeysFile] : [],
      ),
    ),
  ];
  if (plainFiles.length > 0) {
    const files = plainFiles.join(" and ");
    const them = plainFiles.length > 1 ? "the files" : "the file";
    text += ` Keys marked PLAIN TEXT sit unencrypted in ${files}; 'awsmfa add' them and remove them from ${them} (or run 'awsmfa migrate').`;
  }
  for (const w of result.configWarnings) {
    text += `\nWarning: ${w.message}${w.hint === null ? "" : ` ${w.hint}`}`;
  }
  if (!result.configFileExists) {
    text += `\nNo config file at ${result.configFile}: read as empty, so no profile has settings such as mfa_serial, role_arn or region from it.`;
  }
  return text + "\n";
}

/** account:role/name or account:mfa/name, enough to tell them apart. */
function shortArn(arn: string): string {
  const m = /^arn:[^:]+:iam::(\d{12}):(.+)$/.exec(arn);
  return m === null ? arn : `${m[1] ?? ""}:${m[2] ?? ""}`;
}

function ssoTable(sessions: readonly ListedSsoSession[], nowMs: number): string {
  if (sessions.length === 0) return "";
  let text =
    "\nIAM Identity Center sign-ins (tokens in ~/.aws/sso/cache, shared with the AWS CLI):\n";
  for (const s of sessions) {
    const name = s.name === null ? s.startUrl : `sso-session ${s.name}`;
    const state = s.unreadable
      ? `unreadable token file ${s.cacheFile}`
      : s.expiresAt === null
        ? "not signed in"
        : Date.parse(s.expiresAt) <= nowMs
          ? `token expired ${s.expiresAt}${s.refreshable ? " (renewed on next use)" : ""}`
          : `${formatDuration((Date.parse(s.expiresAt) - nowMs) / 1000)} left${s.refreshable ? ", then renewed" : ""}`;
    text += `  ${name}: ${state}; profiles ${s.profiles.join(", ") || "-"}\n`;
  }
  return text;
}
