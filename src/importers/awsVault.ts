/**
 * `awsmfa import aws-vault`: copies long-term keys (never sessions) from
 * aws-vault's stores into ours. Nothing is deleted from aws-vault's store.
 *
 * Facts about aws-vault's storage (99designs/aws-vault + 99designs/keyring):
 * - one item per key; long-term keys are named after the profile; session
 *   items are "session,<b64 profile>,<b64 mfa serial>,<unix expiry>" (older:
 *   "session:...", "<p> session (<n>)"), OIDC tokens "oidc:<start url>";
 * - the item's data is the JSON of Go's credentials struct: AccessKeyID,
 *   SecretAccessKey, SessionToken, ... ;
 * - file backend: one JWE per item in ~/.awsvault/keys/ (AWS_VAULT_FILE_DIR),
 *   file name = key with "%" and "/" percent-encoded, payload = JSON of the
 *   keyring item {Key, Data (base64), Label, ...}; passphrase from
 *   AWS_VAULT_FILE_PASSPHRASE or a prompt;
 * - pass backend: `pass show <AWS_VAULT_PASS_PREFIX>/<key>` in
 *   AWS_VAULT_PASS_PASSWORD_STORE_DIR (default ~/.password-store), same item JSON;
 * - secret-service backend: collection "awsvault"
 *   (AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME), item label = key, attribute
 *   profile = key, secret = the same item JSON.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { AwsmfaError, redactKeyId } from "../errors.ts";
import type { Clock } from "../platform/clock.ts";
import { isErrno } from "../platform/fs.ts";
import { runTool, type ToolRun } from "../platform/runTool.ts";
import type { SecretStore, StoredKeys } from "../store/SecretStore.ts";
import { decryptAwsVaultJwe } from "./awsVaultJwe.ts";

export type AwsVaultSourceName = "file" | "keychain" | "secret-service" | "kwallet" | "pass";
export const AWS_VAULT_SOURCES: readonly AwsVaultSourceName[] = [
  "file",
  "keychain",
  "secret-service",
  "kwallet",
  "pass",
];

export type Env = Readonly<Record<string, string | undefined>>;

export interface ImportFromAwsVaultInput {
  readonly from: AwsVaultSourceName;
  /** Profiles to import; empty: every long-term key found. */
  readonly profiles: readonly string[];
  readonly dryRun: boolean;
  readonly env: Env;
  readonly homedir: string;
  /** Where the keys go. */
  readonly store: SecretStore;
  /** Asked (once) for the file backend's passphrase when AWS_VAULT_FILE_PASSPHRASE is unset. */
  readonly passphrase: (prompt: string) => Promise<string>;
  /** Stamps addedAt on imported keys. */
  readonly clock: Clock;
  /** Bound on each external command (pass, secret-tool, dbus-send). Default 30 s. */
  readonly timeoutMs?: number;
}

export type ImportOutcome = "imported" | "would-import" | "skipped" | "failed";

export interface ImportResult {
  readonly profile: string;
  readonly outcome: ImportOutcome;
  /** Redacted (last four characters) when known. */
  readonly accessKeyId?: string;
  /** Why it was skipped or failed. */
  readonly reason?: string;
}

export interface ImportSummary {
  readonly from: AwsVaultSourceName;
  /** Where we read from, for the user (a directory, a pass prefix, a collection). */
  readonly location: string;
  readonly dryRun: boolean;
  readonly results: readonly ImportResult[];
}

/** Reads one aws-vault store. */
interface Source {
  readonly location: string;
  /** Every item key (profiles, sessions, tokens; filtered by the caller). */
  keys(): Promise<string[]>;
  /** The item's data: the credentials JSON. */
  read(key: string): Promise<Buffer>;
}

const OLD_SESSION_PATTERNS = [
  /^session,[^,]+,[^,]*,[0-9]{2,}$/,
  /^session:[^ ]+:[^ ]*:[^:]+$/,
  /^.+? session \(\d+\)$/,
];
const SESSION_PATTERN = /^[^,]+,[^,]+,[^,]*,[0-9]+$/;

/** A session or OIDC token item of aws-vault, not long-term keys. */
export function isAwsVaultNonKeyItem(key: string): boolean {
  return (
    key.startsWith("oidc:") ||
    SESSION_PATTERN.test(key) ||
    OLD_SESSION_PATTERNS.some((p) => p.test(key))
  );
}

function expandHome(path: string, homedir: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir, path.slice(1)) : path;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

/** mtibben/percent.Decode: every "%XX" becomes the byte 0xXX. */
function percentDecode(s: string): string {
  return Buffer.from(
    s.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  ).toString("utf8");
}

function percentEncodeFileName(key: string): string {
  let out = "";
  for (const ch of key) {
    if (ch === "%" || ch === "/") out += `%${ch.charCodeAt(0).toString(16).toUpperCase()}`;
    else out += ch;
  }
  return out;
}

/** The keyring item JSON aws-vault's file, pass and secret-service backends store. */
function itemData(json: string, where: string): Buffer {
  let item: unknown;
  try {
    item = JSON.parse(json);
  } catch {
    throw new AwsmfaError("E_IMPORT_MALFORMED", `${where} is not an aws-vault item (not JSON).`);
  }
  if (
    typeof item !== "object" ||
    item === null ||
    !("Data" in item) ||
    typeof item.Data !== "string"
  ) {
    throw new AwsmfaError(
      "E_IMPORT_MALFORMED",
      `${where} is not an aws-vault item (no Data field).`,
    );
  }
  return Buffer.from(item.Data, "base64");
}

function runCommand(
  cmd: string,
  args: readonly string[],
  env: Env,
  timeoutMs: number,
): Promise<ToolRun> {
  return runTool(cmd, args, {
    env,
    timeoutMs,
    timedOut: () =>
      new AwsmfaError(
        "E_IMPORT_TIMEOUT",
        `${cmd} ${args[0] ?? ""} did not finish in ${String(timeoutMs / 1000)} s.`,
        { hint: "Unlock the store aws-vault used (keyring, gpg-agent) and try again." },
      ),
    missing: () =>
      new AwsmfaError(
        "E_IMPORT_TOOL_MISSING",
        `${cmd} is not installed; it is needed to read aws-vault's store.`,
        { hint: `Install ${cmd}, or import with --from another backend.` },
      ),
  });
}

function fileSource(input: ImportFromAwsVaultInput): Source {
  const dir = expandHome(
    nonEmpty(input.env.AWS_VAULT_FILE_DIR) ?? "~/.awsvault/keys/",
    input.homedir,
  );
  let passphrase: string | undefined;
  const getPassphrase = async () => {
    // An empty variable counts as unset, as for every awsmfa variable.
    const fromEnv = input.env.AWS_VAULT_FILE_PASSPHRASE;
    passphrase ??=
      (fromEnv === undefined || fromEnv === "" ? undefined : fromEnv) ??
      (await input.passphrase(`Passphrase of aws-vault's file store ${dir}`));
    return passphrase;
  };
  return {
    location: dir,
    async keys() {
      try {
        const names = await readdir(dir);
        return names.filter((n) => !n.startsWith(".")).map(percentDecode);
      } catch (e) {
        if (isErrno(e, "ENOENT")) {
          throw new AwsmfaError(
            "E_IMPORT_NOT_FOUND",
            `aws-vault's file store ${dir} does not exist.`,
            {
              hint: "Point AWS_VAULT_FILE_DIR at it, or pick the store aws-vault used with --from.",
            },
          );
        }
        throw e;
      }
    },
    async read(key) {
      const path = join(dir, percentEncodeFileName(key));
      const token = await readFile(path, "utf8");
      const payload = decryptAwsVaultJwe(token, await getPassphrase(), path);
      return itemData(payload.toString("utf8"), path);
    },
  };
}

function passSource(input: ImportFromAwsVaultInput, timeoutMs: number): Source {
  const dir = expandHome(
    nonEmpty(input.env.AWS_VAULT_PASS_PASSWORD_STORE_DIR) ?? join(input.homedir, ".password-store"),
    input.homedir,
  );
  const prefix = input.env.AWS_VAULT_PASS_PREFIX ?? "";
  const cmd = nonEmpty(input.env.AWS_VAULT_PASS_CMD) ?? "pass";
  const env = { ...input.env, PASSWORD_STORE_DIR: dir };
  const entry = (key: string) => (prefix === "" ? key : `${prefix.replace(/\/+$/, "")}/${key}`);
  const walk = async (d: string, rel: string, out: string[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      if (isErrno(e, "ENOENT")) return;
      throw e;
    }
    for (const x of entries) {
      if (x.name.startsWith(".")) continue;
      const r = rel === "" ? x.name : `${rel}/${x.name}`;
      if (x.isDirectory()) await walk(join(d, x.name), r, out);
      else if (x.isFile() && x.name.endsWith(".gpg")) out.push(r.slice(0, -4));
    }
  };
  return {
    location: `pass ${prefix === "" ? "" : `${prefix}/ `}in ${dir}`,
    async keys() {
      const out: string[] = [];
      await walk(join(dir, prefix), "", out);
      return out;
    },
    async read(key) {
      const r = await runCommand(cmd, ["show", entry(key)], env, timeoutMs);
      if (r.code !== 0) {
        throw new AwsmfaError(
          "E_IMPORT_READ",
          `pass show ${entry(key)} failed: ${r.stderr.trim().split("\n").slice(-1).join("")}`,
        );
      }
      return itemData(r.stdout, `pass entry ${entry(key)}`);
    },
  };
}

function secretServiceSource(input: ImportFromAwsVaultInput, timeoutMs: number): Source {
  const collection = nonEmpty(input.env.AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME) ?? "awsvault";
  // gnome-keyring derives the object path from the label, escaping
  // anything but [A-Za-z0-9] as _XX.
  const collectionPath = `/org/freedesktop/secrets/collection/${collection.replace(
    /[^A-Za-z0-9]/g,
    (c) => `_${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  )}`;
  const dbusGet = async (path: string, iface: string, prop: string): Promise<string> => {
    const r = await runCommand(
      "dbus-send",
      [
        "--session",
        "--print-reply",
        `--reply-timeout=${String(timeoutMs)}`,
        "--dest=org.freedesktop.secrets",
        path,
        "org.freedesktop.DBus.Properties.Get",
        `string:${iface}`,
        `string:${prop}`,
      ],
      input.env,
      timeoutMs + 1000,
    );
    if (r.code !== 0) {
      const why = r.stderr.trim();
      if (/UnknownObject|No such object|doesn't exist/i.test(why)) return "";
      throw new AwsmfaError("E_IMPORT_READ", `The Secret Service did not answer: ${why}`, {
        hint: "Start/unlock your keyring (the D-Bus session must be the one aws-vault used).",
      });
    }
    return r.stdout;
  };
  // Item paths of the collection, from keys(): secret-tool prints an item's
  // path relative to its collection ("[/1]"), so this is how we know that a
  // search hit is in aws-vault's collection and not another one.
  const itemPaths = new Set<string>();
  return {
    location: `Secret Service collection "${collection}"`,
    async keys() {
      const items = await dbusGet(collectionPath, "org.freedesktop.Secret.Collection", "Items");
      const paths = [...items.matchAll(/object path "([^"]+)"/g)].map((m) => m[1] ?? "");
      for (const p of paths) itemPaths.add(p);
      const labels: string[] = [];
      for (const p of paths) {
        const out = await dbusGet(p, "org.freedesktop.Secret.Item", "Label");
        const m = /string "((?:[^"\\]|\\.)*)"/.exec(out);
        if (m?.[1] !== undefined) labels.push(m[1]);
      }
      return labels;
    },
    async read(key) {
      const r = await runCommand(
        "secret-tool",
        ["search", "--all", "--unlock", "profile", key],
        input.env,
        timeoutMs,
      );
      if (r.code !== 0) {
        throw new AwsmfaError(
          "E_IMPORT_READ",
          `secret-tool could not read ${key}: ${r.stderr.trim()}`,
        );
      }
      // Blocks: "[<item path>]" then "key = value" lines; keep ours.
      for (const block of r.stdout.split(/^(?=\[)/m)) {
        const path = /^\[([^\]]+)\]/.exec(block)?.[1];
        if (path === undefined) continue;
        const ours =
          path.startsWith(`${collectionPath}/`) || itemPaths.has(`${collectionPath}${path}`);
        if (!ours) continue;
        const secret = /^secret = (.*)$/m.exec(block)?.[1];
        if (secret !== undefined) return itemData(secret, `${collection}/${key}`);
      }
      throw new AwsmfaError("E_IMPORT_READ", `No readable item ${key} in ${collection}.`);
    },
  };
}

function unsupported(from: AwsVaultSourceName): AwsmfaError {
  return new AwsmfaError(
    "E_IMPORT_UNSUPPORTED",
    `Importing from aws-vault's ${from} backend is not supported yet.`,
    {
      hint: `Copy each profile through the environment instead: aws-vault --backend ${from} exec --no-session PROFILE -- awsmfa add PROFILE --env`,
    },
  );
}

/** Parses aws-vault's credentials JSON (aws-sdk-go v1 Value and v2 Credentials both work). */
function parseCredentials(
  data: Buffer,
): { accessKeyId: string; secretAccessKey: string; sessionToken: string } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(data.toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof v !== "object" || v === null) return undefined;
  const rec: Record<string, unknown> = { ...v };
  const id = rec.AccessKeyID;
  const secret = rec.SecretAccessKey;
  if (typeof id !== "string" || typeof secret !== "string" || id === "" || secret === "")
    return undefined;
  const token = typeof rec.SessionToken === "string" ? rec.SessionToken : "";
  return { accessKeyId: id, secretAccessKey: secret, sessionToken: token };
}

export async function importFromAwsVault(input: ImportFromAwsVaultInput): Promise<ImportSummary> {
  const timeoutMs = input.timeoutMs ?? 30_000;
  let source: Source;
  switch (input.from) {
    case "file":
      source = fileSource(input);
      break;
    case "pass":
      source = passSource(input, timeoutMs);
      break;
    case "secret-service":
      source = secretServiceSource(input, timeoutMs);
      break;
    case "keychain":
    case "kwallet":
      throw unsupported(input.from);
  }

  const all = await source.keys();
  const keyNames = all.filter((k) => !isAwsVaultNonKeyItem(k));
  const wanted = input.profiles.length > 0 ? [...new Set(input.profiles)] : keyNames.sort();
  const results: ImportResult[] = [];
  for (const profile of wanted) {
    if (!keyNames.includes(profile)) {
      results.push({
        profile,
        outcome: "failed",
        reason: `no long-term keys for it in ${source.location}`,
      });
      continue;
    }
    if ((await input.store.get("keys", profile)) !== undefined) {
      results.push({
        profile,
        outcome: "skipped",
        reason: `already in the ${input.store.backend} store`,
      });
      continue;
    }
    let creds;
    try {
      creds = parseCredentials(await source.read(profile));
    } catch (e) {
      // A wrong passphrase fails every item alike: stop and say so once.
      if (e instanceof AwsmfaError && e.code === "E_IMPORT_PASSPHRASE") throw e;
      const reason = e instanceof AwsmfaError ? e.message : `could not read it: ${String(e)}`;
      results.push({ profile, outcome: "failed", reason });
      continue;
    }
    if (creds === undefined) {
      results.push({ profile, outcome: "skipped", reason: "not an aws-vault credentials item" });
      continue;
    }
    const accessKeyId = redactKeyId(creds.accessKeyId);
    if (creds.sessionToken !== "") {
      results.push({
        profile,
        outcome: "skipped",
        accessKeyId,
        reason: "temporary credentials (has a session token), not long-term keys",
      });
      continue;
    }
    if (input.dryRun) {
      results.push({ profile, outcome: "would-import", accessKeyId });
      continue;
    }
    const keys: StoredKeys = {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      addedAt: new Date(input.clock.now()).toISOString(),
    };
    await input.store.set("keys", profile, JSON.stringify(keys));
    results.push({ profile, outcome: "imported", accessKeyId });
  }
  return { from: input.from, location: source.location, dryRun: input.dryRun, results };
}
