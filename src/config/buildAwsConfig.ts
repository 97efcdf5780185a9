/**
 * The AWS view of a parsed config + credentials file pair: profiles (keys
 * from the credentials file win over the config file's, as the SDK merges
 * them), [services x], [sso-session x], and warnings for what the AWS tools
 * read differently or not at all. Pure: loadAwsConfig does the reading.
 */
import type { IniDocument, IniFileKind, IniSection } from "./IniDocument.ts";
import { LazyMap } from "./lazyMap.ts";
import { makeProfileConfig, KNOWN_KEYS, type LocatedValue } from "./profileConfig.ts";
import { sharedIniView, type ViewGroup } from "./sharedIniView.ts";
import type {
  AwsConfig,
  ConfigDiagnostic,
  ProfileConfig,
  ServicesSection,
  SourceLocation,
} from "./types.ts";

export interface AwsConfigInput {
  readonly configFile: string;
  readonly credentialsFile: string;
  /** Parsed with the file's display name (`~/.aws/config`) as its `file`. */
  readonly configDoc: IniDocument;
  readonly credentialsDoc: IniDocument;
}

export function buildAwsConfig(input: AwsConfigInput): AwsConfig {
  const { configDoc, credentialsDoc } = input;
  const configView = sharedIniView(configDoc, "config", { includeEmpty: true });
  const credentialsView = sharedIniView(credentialsDoc, "credentials", { includeEmpty: true });

  const names: string[] = [];
  for (const g of configView.values()) if (g.kind === "profile") names.push(g.name);
  for (const g of credentialsView.values()) if (!configView.has(g.name)) names.push(g.name);

  // Each profile is built when first asked for: a cached credential_process
  // reads the few on its chain, not the thousands a big config holds.
  const build = (name: string) =>
    profileFromViews(name, configView, credentialsView, configDoc.file, credentialsDoc.file);
  const known = new Set(names);
  const profiles: LazyMap<ProfileConfig> = new LazyMap(
    (name) => (known.has(name) ? build(name).profile : undefined),
    () =>
      new Map(
        names.flatMap((name) => {
          const p = profiles.get(name);
          return p === undefined ? [] : [[name, p] as const];
        }),
      ),
  );

  const services = new Map<string, ServicesSection>();
  const ssoSessions = new Map<string, Readonly<Record<string, string>>>();
  for (const g of configView.values()) {
    const name = g.name.slice(g.name.indexOf(".") + 1);
    if (g.kind === "services") services.set(name, servicesOf(g));
    if (g.kind === "sso-session") ssoSessions.set(name, ssoSessionOf(g));
  }

  let diagnostics: readonly ConfigDiagnostic[] | undefined;
  return {
    configFile: input.configFile,
    credentialsFile: input.credentialsFile,
    configFileLabel: configDoc.file,
    credentialsFileLabel: credentialsDoc.file,
    profiles,
    services,
    ssoSessions,
    // Computed when asked for (list, --debug): every call reads the
    // config, few print what is odd about it.
    diagnostics: () => {
      diagnostics ??= [
        ...fileDiagnostics(configDoc, "config"),
        ...fileDiagnostics(credentialsDoc, "credentials"),
        ...names.flatMap((name) => {
          const { profile, values } = build(name);
          return profileDiagnostics(profile, values);
        }),
      ];
      return diagnostics;
    },
  };
}

/**
 * Profile `name` as the SDK merges it from the two files' views (the
 * credentials file's keys win), with the values it was built from (for
 * diagnostics); undefined fields where it has no section.
 */
export function profileFromViews(
  name: string,
  configView: ReadonlyMap<string, ViewGroup>,
  credentialsView: ReadonlyMap<string, ViewGroup>,
  configLabel: string,
  credentialsLabel: string,
): { profile: ProfileConfig; values: Map<string, LocatedValue> } {
  const fromConfig = configView.get(name);
  const inConfig = fromConfig?.kind === "profile";
  const fromCredentials = credentialsView.get(name);
  const values = new Map<string, LocatedValue>();
  if (inConfig) addValues(values, fromConfig, configLabel);
  if (fromCredentials !== undefined) addValues(values, fromCredentials, credentialsLabel);
  const first = inConfig ? fromConfig.sections[0] : fromCredentials?.sections[0];
  const profile = makeProfileConfig({
    name,
    values,
    location: { file: inConfig ? configLabel : credentialsLabel, line: first?.line ?? 1 },
    inConfig,
    inCredentials: fromCredentials !== undefined,
  });
  return { profile, values };
}

/** An [sso-session x] section: key -> value. */
export function ssoSessionOf(g: ViewGroup): Readonly<Record<string, string>> {
  return Object.fromEntries([...g.values].map(([k, v]) => [k, v.value]));
}

function addValues(into: Map<string, LocatedValue>, g: ViewGroup, file: string): void {
  for (const [k, v] of g.values) into.set(k, { value: v.value, where: { file, line: v.line } });
}

/** `sts.endpoint_url = x` -> { sts: { endpoint_url: x } }; keys outside a sub-section are not services settings. */
export function servicesOf(g: ViewGroup): ServicesSection {
  const out = new Map<string, Map<string, string>>();
  for (const [k, v] of g.values) {
    const dot = k.indexOf(".");
    if (dot <= 0) continue;
    const service = k.slice(0, dot);
    let m = out.get(service);
    if (m === undefined) {
      m = new Map();
      out.set(service, m);
    }
    m.set(k.slice(dot + 1), v.value);
  }
  return Object.fromEntries([...out].map(([s, m]) => [s, Object.fromEntries(m)]));
}

function warn(
  code: `W_${string}`,
  where: SourceLocation,
  what: string,
  hint: string,
): ConfigDiagnostic {
  return {
    severity: "warning",
    code,
    message: `${where.file}:${where.line}: ${what}`,
    where,
    hint,
  };
}

/** Sections the SDK ignores or reads differently, and duplicates. */
function fileDiagnostics(doc: IniDocument, kind: IniFileKind): ConfigDiagnostic[] {
  const out: ConfigDiagnostic[] = [];
  const seen = new Map<string, IniSection>();
  const at = (s: IniSection | { line: number }) => ({ file: doc.file, line: s.line });
  for (const s of doc.sections()) {
    if (s.id === undefined) {
      out.push(
        warn(
          "W_SECTION_IGNORED",
          at(s),
          `[${s.header}] is ignored by the AWS SDKs.`,
          s.header.startsWith("profile")
            ? "Write [profile name] with one space and a name of letters, digits and - _ @ + . % : /."
            : kind === "config"
              ? "Use [profile name], [sso-session name] or [services name]."
              : "Use [name] with a name of letters, digits and - _ @ + . % : /.",
        ),
      );
      continue;
    }
    const dot = s.id.indexOf(".");
    const prefix = dot === -1 ? undefined : s.id.slice(0, dot);
    const known = prefix === "profile" || prefix === "sso-session" || prefix === "services";
    if (kind === "config" && s.id !== "default" && !known) {
      out.push(
        warn(
          "W_SECTION_IGNORED",
          at(s),
          `[${s.header}] in the config file is not a profile; the AWS tools ignore it.`,
          `Write [profile ${s.header}] if it is meant as a profile.`,
        ),
      );
    }
    if (kind === "credentials" && known) {
      out.push(
        warn(
          "W_CREDENTIALS_PREFIX",
          at(s),
          `[${s.header}] in the credentials file is a profile named '${s.id}' to the AWS SDKs, not '${s.id.slice(dot + 1)}'.`,
          `Write [${s.id.slice(dot + 1)}]: credentials file sections take the bare profile name.`,
        ),
      );
    }
    const earlier = seen.get(s.id);
    if (earlier !== undefined) {
      out.push(
        warn(
          "W_DUPLICATE_SECTION",
          at(s),
          `[${s.header}] appears again (first at line ${earlier.line}); the AWS SDKs merge them (later keys win), the AWS CLI refuses the file.`,
          "Merge the sections into one.",
        ),
      );
    } else {
      seen.set(s.id, s);
    }
    const keys = new Map<string, number>();
    for (const e of s.entries) {
      const prev = keys.get(e.key);
      if (prev !== undefined) {
        out.push(
          warn(
            "W_DUPLICATE_KEY",
            at(e),
            `'${e.key}' is set again in [${s.header}] (also line ${prev}); the last value wins, the AWS CLI refuses the file.`,
            "Keep one of the lines.",
          ),
        );
      }
      keys.set(e.key, e.line);
      if (e.hasInlineComment) {
        out.push(
          warn(
            "W_INLINE_COMMENT",
            at(e),
            `the comment after '${e.key}' is not part of the value for the AWS SDKs, but it is for the AWS CLI.`,
            "Move the comment to a line of its own.",
          ),
        );
      }
      if (e.key !== e.key.toLowerCase() && KNOWN_KEYS.has(e.key.toLowerCase())) {
        out.push(
          warn(
            "W_KEY_CASE",
            at(e),
            `'${e.key}' is read by the AWS CLI but not by the AWS SDKs or awsmfa (keys are case-sensitive there).`,
            `Write it as '${e.key.toLowerCase()}'.`,
          ),
        );
      }
    }
  }
  if (kind === "config") {
    const bare = seen.get("default");
    const explicit = seen.get("profile.default");
    if (bare !== undefined && explicit !== undefined) {
      out.push(
        warn(
          "W_DEFAULT_TWICE",
          at(explicit),
          `both [default] (line ${bare.line}) and [profile default] exist; the AWS SDKs read only [profile default], the AWS CLI whichever comes last.`,
          "Merge them into one [default] section.",
        ),
      );
    }
  }
  return out;
}

function profileDiagnostics(
  p: ProfileConfig,
  values: ReadonlyMap<string, LocatedValue>,
): ConfigDiagnostic[] {
  const id = values.get("aws_access_key_id");
  const secret = values.get("aws_secret_access_key");
  const half = id ?? secret;
  if ((id === undefined) === (secret === undefined) || half === undefined) return [];
  return [
    warn(
      "W_PARTIAL_STATIC_KEYS",
      half.where,
      `profile '${p.name}' has ${id === undefined ? "aws_secret_access_key without aws_access_key_id" : "aws_access_key_id without aws_secret_access_key"}; the AWS tools ignore half a key pair.`,
      "Add the missing half, or remove the line (awsmfa add stores keys in the secret store instead).",
    ),
  ];
}
