/**
 * The AwsConfig of the two files' texts, read only as far as it is asked:
 * a cached credential_process needs the few profiles on its chain, and a
 * config may hold tens of thousands (generated for every account and role).
 * Parsing every line of a 100k-profile file costs ~20x the whole call.
 *
 * Two native regular-expression passes replace the line-by-line parse:
 * - SCREEN_BAD finds any line that is not plainly a comment, a blank, a
 *   `[header]` or a `key = value` (no '#'/';' before the '='), and a file
 *   whose first non-blank line is not a header is screened out too. Passing
 *   the screen proves the file parses without error (every line passes
 *   IniDocument's classify); failing it proves nothing, and the caller then
 *   parses the whole file as always (buildAwsConfig), errors included. So a
 *   file with any odd line takes the slow path, never a different one.
 * - Asked for profile `dev`, headersWithId finds the headers the SDK reads
 *   as that profile ([profile dev], [profile "dev"], [dev] in credentials,
 *   ...) and only those sections are parsed, with IniDocument, at their own
 *   line numbers; sharedIniView and profileFromViews then merge them exactly
 *   as for the whole file. So do services and sso-session sections.
 *
 * Anything that needs every section (iterating the profiles, `size`, the
 * diagnostics) builds the whole config once (buildAwsConfig).
 */
import { parseIni, type IniSection } from "./IniDocument.ts";
import {
  buildAwsConfig,
  profileFromViews,
  servicesOf,
  ssoSessionOf,
  type AwsConfigInput,
} from "./buildAwsConfig.ts";
import { LazyMap } from "./lazyMap.ts";
import { sharedIniView, type ViewGroup } from "./sharedIniView.ts";
import type { AwsConfig, ProfileConfig, ServicesSection } from "./types.ts";

export interface LazyConfigInput {
  readonly configFile: string;
  readonly credentialsFile: string;
  /** The files' texts; "" for a missing file. */
  readonly configText: string;
  readonly credentialsText: string;
  /** How each file is named in messages (`~/.aws/config`). */
  readonly configLabel: string;
  readonly credentialsLabel: string;
}

/** The config read lazily, or undefined when a text needs the whole parse (see SCREEN_BAD). */
export function lazyAwsConfig(input: LazyConfigInput): AwsConfig | undefined {
  const config = screened(input.configText, input.configLabel);
  const credentials = screened(input.credentialsText, input.credentialsLabel);
  if (config === undefined || credentials === undefined) return undefined;

  let whole: AwsConfig | undefined;
  const full = (): AwsConfig => {
    whole ??= buildAwsConfig(wholeInput(input));
    return whole;
  };
  const profileNamed = (name: string): ProfileConfig | undefined => {
    const ids = name === "default" ? ["default", "profile.default"] : [`profile.${name}`];
    // buildAwsConfig leaves out a credentials profile whose name is the id
    // of a config [services x] or [sso-session x]: so must this.
    if (/^(?:services|sso-session)\./.test(name)) ids.push(name);
    const configView = sharedIniView(config.withIds(ids), "config", { includeEmpty: true });
    const credentialsView = sharedIniView(credentials.withIds([name]), "credentials", {
      includeEmpty: true,
    });
    const inConfig = configView.get(name)?.kind === "profile";
    if (!inConfig && !(credentialsView.has(name) && !configView.has(name))) return undefined;
    return profileFromViews(
      name,
      configView,
      credentialsView,
      input.configLabel,
      input.credentialsLabel,
    ).profile;
  };
  const configSection = <T>(
    kind: "services" | "sso-session",
    name: string,
    read: (g: ViewGroup) => T,
  ): T | undefined => {
    const id = `${kind}.${name}`;
    // `[profile services.x]` has the same SDK name as `[services x]`: the
    // later one wins (buildAwsConfig, the SDK), so both are read here.
    const view = sharedIniView(config.withIds([id, `profile.${id}`]), "config", {
      includeEmpty: true,
    });
    const g = view.get(id);
    return g?.kind === kind ? read(g) : undefined;
  };
  return {
    configFile: input.configFile,
    credentialsFile: input.credentialsFile,
    configFileLabel: input.configLabel,
    credentialsFileLabel: input.credentialsLabel,
    profiles: new LazyMap(profileNamed, () => full().profiles),
    services: new LazyMap<ServicesSection>(
      (name) => configSection("services", name, servicesOf),
      () => full().services,
    ),
    ssoSessions: new LazyMap(
      (name) => configSection("sso-session", name, ssoSessionOf),
      () => full().ssoSessions ?? new Map<string, Readonly<Record<string, string>>>(),
    ),
    diagnostics: () => full().diagnostics(),
  };
}

function wholeInput(input: LazyConfigInput): AwsConfigInput {
  return {
    configFile: input.configFile,
    credentialsFile: input.credentialsFile,
    configDoc: parseIni(input.configText, input.configLabel),
    credentialsDoc: parseIni(input.credentialsText, input.credentialsLabel),
  };
}

/**
 * A line the screen does not vouch for. Allowed, each a whole line: blank
 * or a comment (optional spaces or tabs, then `#`/`;` or the end); a header
 * `[...]` with no `]`, `#` or `;` inside, then optional spaces or tabs and
 * an optional comment after whitespace; a key line: optional spaces or
 * tabs, a first character that is not whitespace, `=`, `#`, `;` or `[`,
 * then no `=`, `#` or `;` before the first `=`. Each of those classifies as
 * trivia, header or key (IniDocument.ts classify). `\r` before the line
 * break is allowed (CRLF files).
 */
/** After a header's `]`: what the screen allows. */
const HEADER_TAIL = String.raw`\](?:[ \t]+(?:[#;].*)?)?\r?$`;
const SCREEN_BAD = new RegExp(
  String.raw`^(?!${[
    String.raw`[ \t]*(?:[#;].*)?\r?$`,
    String.raw`[ \t]*\[[^\]\r\n#;]*` + HEADER_TAIL,
    String.raw`[ \t]*[^\s=#;[][^=#;\r\n]*=.*\r?$`,
  ].join("|")}).*$`,
  "m",
);
/**
 * What would make the regular expressions' lines differ from IniDocument's
 * (a lone `\r`, or U+2028/U+2029, end a line for them, not for it), and the
 * section names the SDK refuses: the whole parse reports those.
 */
const SCREEN_ODD = /\r(?!\n)|[\u2028\u2029]|__proto__/;
/** Up to the first line that is not blank or a comment; it must be a header. */
const LEADING_TRIVIA = /^(?:[ \t]*(?:[#;].*)?\r?\n)*/;
/** The start of a header line (in a screened text, every line starting so is one). */
const HEADER_START = /^[ \t]*\[/gm;
/** The SDK's `[kind name]` forms (IniDocument.ts PREFIXED_HEADER); kinds it reads. */
const SECTION_KINDS = new Set(["profile", "sso-session", "services"]);
const PREFIXED_NAME = /^[\w\-@+.%:/]+$/;
const PREFIXED = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/;

interface ScreenedText {
  /** The sections whose SDK id (IniDocument.ts sectionId) is one of `ids`, in file order. */
  withIds(ids: readonly string[]): { sections(): IniSection[] };
}

function screened(text: string, file: string): ScreenedText | undefined {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (SCREEN_ODD.test(body) || SCREEN_BAD.test(body)) return undefined;
  const lead = LEADING_TRIVIA.exec(body)?.[0].length ?? 0;
  if (lead < body.length && !/^[ \t]*\[/.test(body.slice(lead, lead + 4096))) return undefined;
  return {
    withIds(ids) {
      const found: IniSection[] = [];
      const starts = ids
        .flatMap((id) => headerStarts(body, id))
        .sort((a, b) => a - b)
        .filter((at, i, all) => i === 0 || all[i - 1] !== at);
      let line = 1;
      let counted = 0;
      for (const start of starts) {
        line += newlines(body, counted, start);
        counted = start;
        HEADER_START.lastIndex = start + 1;
        const next = HEADER_START.exec(body);
        const end = next === null ? body.length : next.index;
        found.push(...parseIni(body.slice(start, end), file, line).sections());
      }
      return { sections: () => [...found] };
    },
  };
}

/** Offsets of the header lines whose SDK id is `id`. */
function headerStarts(body: string, id: string): number[] {
  const forms: string[] = [];
  // A bare header is its own id unless it has the [kind name] form.
  if (id !== "" && !PREFIXED.test(id)) forms.push(escape(id));
  const dot = id.indexOf(".");
  const kind = id.slice(0, dot);
  const name = id.slice(dot + 1);
  if (dot > 0 && SECTION_KINDS.has(kind) && PREFIXED_NAME.test(name)) {
    // The only capturing group in the pattern: \1 is its closing quote.
    forms.push(String.raw`${escape(kind)}[^\S\r\n](["']?)${escape(name)}` + "\\1");
  }
  if (forms.length === 0) return [];
  const re = new RegExp(
    String.raw`^[ \t]*\[(?:${forms.map((f) => `(?:${f})`).join("|")})${HEADER_TAIL}`,
    "gm",
  );
  return [...body.matchAll(re)].map((m) => m.index);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** Line breaks in body[from, to). */
function newlines(body: string, from: number, to: number): number {
  let n = 0;
  for (let i = body.indexOf("\n", from); i !== -1 && i < to; i = body.indexOf("\n", i + 1)) n++;
  return n;
}
