/**
 * A lossless INI document for ~/.aws/config and ~/.aws/credentials.
 *
 * Every line is kept as written (text + its own line ending), so
 * `parseIni(t).toString() === t` for every file we accept, and an edit only
 * touches the lines it must. Which line is a section, a key or a comment, and
 * what a key's value is, follows the AWS SDK for JavaScript v3 shared-ini
 * loader exactly (see README.md); lines that loader would silently skip are
 * syntax errors here, so a broken file never reads as "no profiles".
 */
import { AwsmfaError } from "../errors.ts";

export type Eol = "" | "\n" | "\r\n";

/** The section kinds the AWS SDK recognises in a `[kind name]` header. */
export type SectionKind = "profile" | "sso-session" | "services";
const SECTION_KINDS: readonly string[] = ["profile", "sso-session", "services"];

/** `[kind name]` / `[kind "name"]` / `[kind 'name']`, as the SDK matches it. */
const PREFIXED_HEADER = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/;
/** A bare section name we are willing to write (what the SDK accepts after `profile `). */
const WRITABLE_NAME = /^[\w\-@+.%:/]+$/;
/** A comment starts at `;` or `#` at the start of a line or after whitespace. */
const COMMENT_START = /(?:^|\s)[;#]/;
const LEADING_WS = /^\s*/;
const TRAILING_WS = /\s*$/;
/** Section names the SDK refuses (its whole file then reads as empty). */
const BLOCKED_HEADERS: readonly string[] = ["__proto__", "profile __proto__"];

interface TriviaLine {
  readonly kind: "trivia";
  readonly text: string;
  eol: Eol;
}
interface HeaderLine {
  readonly kind: "header";
  readonly text: string;
  eol: Eol;
  /** Between the brackets, as written. */
  readonly header: string;
  /** The SDK's key for this section; undefined when the SDK ignores the section. */
  readonly id: string | undefined;
}
interface KeyLine {
  readonly kind: "key";
  readonly text: string;
  eol: Eol;
  readonly key: string;
  /** "" marks the start of a sub-section (`s3 =`). */
  readonly value: string;
  /** The line starts with whitespace (sub-section members must). */
  readonly indented: boolean;
  /** Where the value sits in `text`, for in-place replacement. */
  readonly valueStart: number;
  readonly valueEnd: number;
}
type Line = TriviaLine | HeaderLine | KeyLine;

/** One effective key in a section, with sub-section keys as `sub.key` (the SDK's form). */
export interface IniEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line number. */
  readonly line: number;
  /** The key as written and the value had an inline comment after it. */
  readonly hasInlineComment: boolean;
}

/** A snapshot of one section; line numbers hold until the next edit. */
export interface IniSection {
  /** The text between the brackets, as written: `profile dev`, `default`. */
  readonly header: string;
  /**
   * The AWS SDK's name for the section: `profile.dev`, `sso-session.corp`,
   * `services.local`, `default`, or the bare header. undefined when the SDK
   * ignores the section (`[foo bar]`, `[]`).
   */
  readonly id: string | undefined;
  /** 1-based line of the header. */
  readonly line: number;
  /** Last line that belongs to the section's keys (the header line when it has none). */
  readonly lastKeyLine: number;
  /** Key lines in order, duplicates included. */
  readonly entries: readonly IniEntry[];
  /** The value the SDK reads for `key` in this section (the last one), if any. */
  get(key: string): string | undefined;
}

export type IniFileKind = "config" | "credentials";

/** The SDK's key for a header, or undefined when the SDK ignores the section. */
export function sectionId(header: string): string | undefined {
  const m = PREFIXED_HEADER.exec(header);
  if (m === null) return header === "" ? undefined : header;
  const [, kind, , name] = m;
  if (kind === undefined || name === undefined || !SECTION_KINDS.includes(kind)) return undefined;
  return `${kind}.${name}`;
}

/**
 * The header for a profile's section: `profile dev` / `default` in the config
 * file, the bare name in the credentials file.
 */
export function profileHeader(kind: IniFileKind, profile: string): string {
  if (kind === "credentials" || profile === "default") return profile;
  return `profile ${profile}`;
}

/**
 * The profile a section defines in a file of this kind, as the SDK reads it
 * (`[profile x]` and `[default]` in config; any section in credentials), or
 * undefined.
 */
export function profileNameOf(kind: IniFileKind, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  if (kind === "credentials") return id;
  if (id === "default") return "default";
  const dot = id.indexOf(".");
  if (dot === -1) return undefined;
  return id.slice(0, dot) === "profile" ? id.slice(dot + 1) : undefined;
}

function syntaxError(file: string, line: number, what: string, hint: string): AwsmfaError {
  return new AwsmfaError("E_CONFIG_SYNTAX", `${file}:${line}: ${what}`, { hint });
}

function valueError(file: string, what: string, hint: string): AwsmfaError {
  return new AwsmfaError("E_CONFIG_VALUE", `${file}: ${what}`, { hint });
}

/** Where a comment starts in `text` (text.length when there is none). */
function commentStart(text: string): number {
  const m = COMMENT_START.exec(text);
  if (m === null) return text.length;
  // The match includes the whitespace before the marker; cutting there is
  // the same once the rest is trimmed.
  return m.index;
}

type Classified =
  | { readonly kind: "trivia" }
  | { readonly kind: "header"; readonly header: string }
  | {
      readonly kind: "key";
      readonly key: string;
      readonly value: string;
      readonly valueStart: number;
      readonly valueEnd: number;
      readonly indented: boolean;
    }
  | { readonly kind: "bad"; readonly what: string; readonly hint: string };

function classify(text: string): Classified {
  const cut = commentStart(text);
  const content = text.slice(0, cut).trim();
  if (content === "") return { kind: "trivia" };
  if (content.startsWith("[") && content.endsWith("]") && content.length >= 2) {
    return { kind: "header", header: content.slice(1, -1) };
  }
  const eq = content.indexOf("=");
  if (eq > 0) {
    const start = text.indexOf("=") + 1;
    const lead = (LEADING_WS.exec(text.slice(start, cut)) ?? [""])[0].length;
    const valueStart = Math.min(start + lead, cut);
    const rest = text.slice(valueStart, cut);
    const trail = (TRAILING_WS.exec(rest) ?? [""])[0].length;
    return {
      kind: "key",
      key: content.slice(0, eq).trim(),
      value: content.slice(eq + 1).trim(),
      valueStart,
      valueEnd: valueStart + rest.length - trail,
      indented: text.trimStart() !== text,
    };
  }
  if (eq === 0) {
    return {
      kind: "bad",
      what: "a key name is missing before '='.",
      hint: "Write 'name = value', or remove the line.",
    };
  }
  if (content.startsWith("[")) {
    // `[profile x]#c`: the AWS CLI reads a header and a comment; the JS SDK
    // (whose reading we follow) sees no comment without whitespace before
    // '#', so no header either, and puts the next keys in the previous
    // section. The header is closed: say what really differs.
    if (/\][;#]/.test(text)) {
      return {
        kind: "bad",
        what: "a comment follows this section header's ']' without a space, so the AWS SDKs do not read the line as a header.",
        hint: "Put a space between ']' and the comment: the AWS SDKs only see a comment after whitespace.",
      };
    }
    if (content.includes("]")) {
      return {
        kind: "bad",
        what: "text follows this section header's ']'.",
        hint: "Remove the text after ']', or make it a comment (' # ...', with a space before '#').",
      };
    }
    return {
      kind: "bad",
      what: "this section header is not closed by ']'.",
      hint: "Write the header as [profile name] (config) or [name] (credentials).",
    };
  }
  return {
    kind: "bad",
    what: "this line is not a [section] header, a 'key = value' pair or a comment.",
    hint: "Fix or remove the line; comments start with '#' or ';'.",
  };
}

function toLine(
  text: string,
  eol: Eol,
  c: Classified & { kind: "trivia" | "header" | "key" },
): Line {
  switch (c.kind) {
    case "trivia":
      return { kind: "trivia", text, eol };
    case "header":
      return { kind: "header", text, eol, header: c.header, id: sectionId(c.header) };
    case "key":
      return keyLine(text, eol, c);
  }
}

function keyLine(text: string, eol: Eol, c: Classified & { kind: "key" }): KeyLine {
  return {
    kind: "key",
    text,
    eol,
    key: c.key,
    value: c.value,
    indented: c.indented,
    valueStart: c.valueStart,
    valueEnd: c.valueEnd,
  };
}

interface SpanKey {
  readonly index: number;
  readonly line: KeyLine;
  /** The sub-section this key belongs to; undefined for top-level keys and sub-section starts. */
  readonly sub: string | undefined;
}

/** Bounds of one section in the line array. */
interface Span {
  /** index of the header line */
  readonly start: number;
  /** index one past the last line before the next header (or EOF) */
  readonly end: number;
  /** index of the last key line, or start when there is none */
  readonly lastKey: number;
}

/**
 * The key lines of the section whose header is lines[start] (up to `end`),
 * with the sub-section each value belongs to, tracked as the SDK does:
 * `name =` (empty value) opens a sub-section, an indented key joins it, an
 * unindented key with a value closes it. `open` is the sub-section still
 * open after the last line. Indexes are into `lines`, plus `offset`.
 */
function keyLinesIn(
  lines: readonly Line[],
  start: number,
  end: number,
  offset: number,
): { keys: SpanKey[]; open: string | undefined } {
  const keys: SpanKey[] = [];
  let sub: string | undefined;
  for (let i = start + 1; i < end; i++) {
    const l = lines[i];
    if (l?.kind !== "key") continue;
    if (l.value === "") {
      keys.push({ index: i + offset, line: l, sub: undefined });
      sub = l.key;
      continue;
    }
    if (sub !== undefined && !l.indented) sub = undefined;
    keys.push({ index: i + offset, line: l, sub });
  }
  return { keys, open: sub };
}

/**
 * One section as it was when taken: its lines are copied (edits replace or
 * move lines in the document, not in this copy) and read into entries when
 * first asked for, since a cached credential_process reads the entries of a
 * few sections of a config that may hold thousands. A class: V8 builds
 * object literals with getters through a slow path, one at a time.
 */
class SectionSnapshot implements IniSection {
  readonly header: string;
  readonly id: string | undefined;
  readonly line: number;
  readonly lastKeyLine: number;
  readonly #lines: readonly Line[];
  readonly #offset: number;
  #entries: IniEntry[] | undefined;

  /** `lineOffset`: how many lines of the file come before the document's first. */
  constructor(h: HeaderLine, lines: readonly Line[], span: Span, lineOffset: number) {
    this.header = h.header;
    this.id = h.id;
    this.line = span.start + 1 + lineOffset;
    this.lastKeyLine = span.lastKey + 1 + lineOffset;
    this.#lines = lines;
    this.#offset = span.start + lineOffset;
  }

  get entries(): readonly IniEntry[] {
    this.#entries ??= keyLinesIn(this.#lines, 0, this.#lines.length, this.#offset).keys.flatMap(
      ({ index, line, sub }) =>
        line.value === ""
          ? []
          : [
              {
                key: sub === undefined ? line.key : `${sub}.${line.key}`,
                value: line.value,
                line: index + 1,
                hasInlineComment: commentStart(line.text) < line.text.length,
              },
            ],
    );
    return this.#entries;
  }

  get(key: string): string | undefined {
    const all = this.entries;
    for (let k = all.length - 1; k >= 0; k--) {
      const e = all[k];
      if (e?.key === key) return e.value;
    }
    return undefined;
  }
}

/**
 * Parses `text` (the whole file, or a part of it starting at `firstLine`)
 * into a document. `file` names the file in messages ("~/.aws/config").
 * Throws AwsmfaError E_CONFIG_SYNTAX, naming file:line, for a line that is
 * not a header, key or comment, a key outside any section, or a header the
 * SDK refuses.
 */
export function parseIni(text: string, file: string, firstLine = 1): IniDocument {
  return new IniDocument(text, file, firstLine);
}

export class IniDocument {
  /** The name used in messages. */
  readonly file: string;
  readonly #bom: boolean;
  /** Line ending used for new lines: the file's first one, else "\n". */
  readonly #eol: "\n" | "\r\n";
  /** The file ended without a line break (kept that way across edits). */
  readonly #noFinalNewline: boolean;
  /** Lines of the file before this text (0 for a whole file). */
  readonly #lineOffset: number;
  #lines: Line[] = [];
  #spans: Span[] | undefined;
  /** sections() of the current spans; dropped with them on every edit. */
  #sectionCache: IniSection[] | undefined;

  /**
   * `firstLine`: the line of the file `text` starts at, when it is a part of
   * a file (lazyAwsConfig reads single sections); messages and snapshots
   * count lines from there.
   */
  constructor(text: string, file: string, firstLine = 1) {
    this.file = file;
    this.#lineOffset = firstLine - 1;
    this.#bom = text.startsWith("\uFEFF");
    const body = this.#bom ? text.slice(1) : text;
    const firstNl = body.indexOf("\n");
    this.#eol = firstNl > 0 && body[firstNl - 1] === "\r" ? "\r\n" : "\n";
    let inSection = false;
    let pos = 0;
    let lineNo = this.#lineOffset;
    while (pos < body.length) {
      lineNo++;
      const nl = body.indexOf("\n", pos);
      let lineText: string;
      let eol: Eol;
      if (nl === -1) {
        lineText = body.slice(pos);
        eol = "";
        pos = body.length;
      } else if (nl > pos && body[nl - 1] === "\r") {
        lineText = body.slice(pos, nl - 1);
        eol = "\r\n";
        pos = nl + 1;
      } else {
        lineText = body.slice(pos, nl);
        eol = "\n";
        pos = nl + 1;
      }
      const c = classify(lineText);
      if (c.kind === "bad") {
        const prev = this.#lines.at(-1);
        if (prev?.kind === "key" && lineText.trimStart() !== lineText) {
          throw syntaxError(
            file,
            lineNo,
            `this indented line continues the value of '${prev.key}' (line ${lineNo - 1}).`,
            "Join it onto one line: the AWS CLI reads it as part of the value, the AWS SDKs ignore it.",
          );
        }
        throw syntaxError(file, lineNo, c.what, c.hint);
      }
      if (c.kind === "header") {
        if (BLOCKED_HEADERS.includes(c.header)) {
          throw syntaxError(
            file,
            lineNo,
            `'${c.header}' is not a valid profile name.`,
            "Rename the section: the AWS SDKs refuse this name and read the whole file as empty.",
          );
        }
        inSection = true;
      } else if (c.kind === "key" && !inSection) {
        throw syntaxError(
          file,
          lineNo,
          `'${c.key}' is outside any section.`,
          "Move it under a [profile name] (config) or [name] (credentials) header, or remove it.",
        );
      }
      this.#lines.push(toLine(lineText, eol, c));
    }
    this.#noFinalNewline = this.#lines.at(-1)?.eol === "";
  }

  /** The document as text: byte-identical to the input when nothing was edited. */
  toString(): string {
    let out = this.#bom ? "\uFEFF" : "";
    for (const l of this.#lines) out += l.text + l.eol;
    return out;
  }

  /** The line ending new lines get. */
  get eol(): "\n" | "\r\n" {
    return this.#eol;
  }

  get lineCount(): number {
    return this.#lines.length;
  }

  /** Every section in file order, duplicates included. */
  sections(): IniSection[] {
    if (this.#spans === undefined || this.#sectionCache === undefined) {
      this.#sectionCache = this.#getSpans().map((s) => this.#snapshot(s));
    }
    return [...this.#sectionCache];
  }

  /**
   * The last section whose header means the same to the SDK as `header`
   * (`profile x` matches `[profile x]`, `[profile "x"]`, `[profile.x]`).
   * The last one because that is where the SDK's winning values come from.
   */
  getSection(header: string): IniSection | undefined {
    const span = this.#matching(header).at(-1);
    return span === undefined ? undefined : this.#snapshot(span);
  }

  /** All sections the SDK merges under this header's name, in file order. */
  getSections(header: string): IniSection[] {
    return this.#matching(header).map((s) => this.#snapshot(s));
  }

  /**
   * The section the SDK reads `profile` from in a file of this kind (the
   * last one when duplicated). In the config file `[profile default]` wins
   * over `[default]` when it has any key, as in the SDK.
   */
  findProfile(kind: IniFileKind, profile: string): IniSection | undefined {
    const header = this.profileSectionHeader(kind, profile);
    return header === undefined ? undefined : this.getSection(header);
  }

  /**
   * The header of the section that holds `profile` in this document, for
   * setKey/removeKey: the existing one when present, else the one a new
   * section would get; undefined only when no section exists and the name
   * cannot be written.
   */
  profileSectionHeader(kind: IniFileKind, profile: string): string | undefined {
    if (kind === "config" && profile === "default") {
      const explicit = this.#matching("profile default");
      if (explicit.some((s) => s.lastKey > s.start)) return "profile default";
      if (this.#matching("default").length > 0) return "default";
      if (explicit.length > 0) return "profile default";
      return "default";
    }
    return profileHeader(kind, profile);
  }

  /**
   * Sets `key = value` in the section named `header` (created at the end of
   * the file when missing). The line that holds the value the SDK reads is
   * changed in place (spacing and any trailing comment kept); otherwise a new
   * line goes after the section's last key. Throws E_CONFIG_VALUE for a key or
   * value the SDK would read differently from what was asked.
   */
  setKey(header: string, key: string, value: string): void {
    this.#checkKey(key);
    if (/[\r\n]/.test(value)) {
      throw valueError(
        this.file,
        `the value for '${key}' contains a line break.`,
        "Use a value on one line.",
      );
    }
    const spans = this.#matching(header);
    // The effective occurrence is the last one across same-named sections.
    for (let si = spans.length - 1; si >= 0; si--) {
      const span = spans[si];
      if (span === undefined) continue;
      const { keys } = this.#keyLines(span);
      for (let k = keys.length - 1; k >= 0; k--) {
        const e = keys[k];
        if (e === undefined || e.sub !== undefined || e.line.key !== key) continue;
        const l = e.line;
        if (l.value === "") {
          throw valueError(
            this.file,
            `'${key}' in [${header}] is a sub-section; it cannot be set to a single value.`,
            "Remove the sub-section first.",
          );
        }
        const text = l.text.slice(0, l.valueStart) + value + l.text.slice(l.valueEnd);
        this.#lines[e.index] = this.#parsedKeyLine(text, l.eol, key, value);
        this.#spans = undefined;
        return;
      }
    }
    const target = spans.at(-1) ?? this.#addSpan(header);
    const style = this.#keyStyle(target);
    const text = `${style.indent}${key}${style.sep}${value}`;
    const line = this.#parsedKeyLine(text, this.#eol, key, value);
    this.#insert(target.lastKey + 1, [line]);
  }

  /**
   * Removes `key` from every section named `header` (all of them feed the
   * SDK's view, so a key removed only from the last would come back from an
   * earlier one). A sub-section start (`s3 =`) goes with its member lines; a
   * dotted `sub.key` removes that member. Returns how many lines went.
   */
  removeKey(header: string, key: string): number {
    const doomed = new Set<number>();
    const matching = this.#matching(header);
    /** Which sub-section each key line with a value belonged to before. */
    const before = new Map<KeyLine, string | undefined>();
    for (const span of matching) {
      let dropping = false;
      for (const { index, line, sub } of this.#keyLines(span).keys) {
        before.set(line, sub);
        if (line.value === "") {
          // A sub-section start goes with its members.
          dropping = line.key === key;
          if (dropping) doomed.add(index);
          continue;
        }
        if (sub === undefined) dropping = false;
        const full = sub === undefined ? line.key : `${sub}.${line.key}`;
        if (dropping || full === key) doomed.add(index);
      }
    }
    if (doomed.size === 0) return 0;
    this.#lines = this.#lines.filter((_, i) => !doomed.has(i));
    this.#fixEols();
    this.#keepMembership(before);
    return doomed.size;
  }

  /**
   * Appends `[header]` at the end of the file, separated from what is above
   * by one new blank line, in the file's line-ending style. Throws E_CONFIG_VALUE
   * for a header the SDK would ignore or read as another name.
   */
  addSection(header: string): IniSection {
    return this.#snapshot(this.#addSpan(header));
  }

  /** The last section named `header`, added when missing. */
  ensureSection(header: string): IniSection {
    return this.getSection(header) ?? this.addSection(header);
  }

  /**
   * Removes every section named `header`: its header and lines up to its
   * last key (comments after the last key are kept: they usually describe
   * what follows), and one blank line so the separation stays single.
   * Returns how many sections went.
   */
  removeSection(header: string): number {
    const spans = this.#matching(header);
    for (let k = spans.length - 1; k >= 0; k--) {
      const span = spans[k];
      if (span === undefined) continue;
      let from = span.start;
      let to = span.lastKey + 1;
      const isBlank = (i: number) => {
        const l = this.#lines[i];
        return l?.kind === "trivia" && l.text.trim() === "";
      };
      const blankBefore = from === 0 || isBlank(from - 1);
      if (blankBefore && (to >= this.#lines.length || isBlank(to))) {
        if (to < this.#lines.length) to++;
        else if (from > 0) from--;
      }
      this.#lines.splice(from, to - from);
    }
    if (spans.length > 0) this.#fixEols();
    return spans.length;
  }

  // --- internals ---

  /**
   * Removing an unindented key can leave an indented top-level key right
   * after a sub-section, which the SDK would then read as a member of it
   * (`s3 =` / `  a = 1` / `region = x` / `  b = 2`: without `region`, `b`
   * becomes `s3.b`). Such a line loses its indentation, which keeps its meaning.
   */
  #keepMembership(before: ReadonlyMap<KeyLine, string | undefined>): void {
    for (const span of this.#getSpans()) {
      for (const { index, line, sub } of this.#keyLines(span).keys) {
        if (line.value === "" || !line.indented || sub === undefined) continue;
        if (!before.has(line) || before.get(line) !== undefined) continue;
        const text = line.text.trimStart();
        const cut = line.text.length - text.length;
        this.#lines[index] = {
          ...line,
          text,
          indented: false,
          valueStart: line.valueStart - cut,
          valueEnd: line.valueEnd - cut,
        };
        this.#spans = undefined;
        // The fixed line closes the sub-section again: later lines read as before.
        this.#keepMembership(before);
        return;
      }
    }
  }

  #getSpans(): Span[] {
    if (this.#spans !== undefined) return this.#spans;
    const spans: Span[] = [];
    let start = -1;
    let lastKey = -1;
    this.#lines.forEach((l, i) => {
      if (l.kind === "header") {
        if (start >= 0) spans.push({ start, end: i, lastKey });
        start = i;
        lastKey = i;
      } else if (l.kind === "key") {
        lastKey = i;
      }
    });
    if (start >= 0) spans.push({ start, end: this.#lines.length, lastKey });
    this.#spans = spans;
    return spans;
  }

  #matching(header: string): Span[] {
    const id = sectionId(header);
    return this.#getSpans().filter((s) => {
      const h = this.#lines[s.start];
      if (h?.kind !== "header") return false;
      return id === undefined ? h.header === header : h.id === id;
    });
  }

  #keyLines(span: Span): { keys: SpanKey[]; open: string | undefined } {
    return keyLinesIn(this.#lines, span.start, span.end, 0);
  }

  #snapshot(span: Span): IniSection {
    const h = this.#lines[span.start];
    if (h?.kind !== "header") throw new Error("IniDocument: span does not start at a header");
    return new SectionSnapshot(h, this.#lines.slice(span.start, span.end), span, this.#lineOffset);
  }

  #checkKey(key: string): void {
    const c = classify(`${key} = x`);
    if (key === "" || /[\r\n=]/.test(key) || c.kind !== "key" || c.key !== key || c.indented) {
      throw valueError(
        this.file,
        `'${key.replace(/[\r\n]/g, " ")}' cannot be written as a key.`,
        "Use a key name without '=', line breaks, leading '[', ';' or '#', or surrounding spaces.",
      );
    }
  }

  #parsedKeyLine(text: string, eol: Eol, key: string, value: string): KeyLine {
    const c = classify(text);
    if (c.kind !== "key" || c.key !== key || c.value !== value || value === "") {
      throw valueError(
        this.file,
        `the value for '${key}' cannot be written so that the AWS tools read it back unchanged.`,
        "Use a non-empty value without leading or trailing spaces, and without ' #' or ' ;' (they start a comment).",
      );
    }
    return keyLine(text, eol, c);
  }

  /** How new keys in this section are written: copied from its last top-level key. */
  #keyStyle(span: Span): { indent: string; sep: string } {
    const { keys, open } = this.#keyLines(span);
    for (let k = keys.length - 1; k >= 0; k--) {
      const e = keys[k];
      if (e === undefined || e.sub !== undefined || e.line.value === "") continue;
      const l = e.line;
      const eq = l.text.indexOf("=");
      const before = (TRAILING_WS.exec(l.text.slice(0, eq)) ?? [""])[0];
      const after = l.text.slice(eq + 1, l.valueStart);
      // An indented line while a sub-section is open would join it.
      const indent = open === undefined ? (LEADING_WS.exec(l.text) ?? [""])[0] : "";
      const sep = `${/^[ \t]*$/.test(before) ? before : " "}=${/^[ \t]*$/.test(after) ? after : " "}`;
      return { indent, sep };
    }
    return { indent: "", sep: " = " };
  }

  #addSpan(header: string): Span {
    const hint = "Use a name of letters, digits and - _ @ + . % : / (e.g. [profile my-profile]).";
    if (/[\r\n]/.test(header)) {
      throw valueError(this.file, "a section name contains a line break.", hint);
    }
    const text = `[${header}]`;
    const c = classify(text);
    if (
      c.kind !== "header" ||
      c.header !== header ||
      sectionId(header) === undefined ||
      (!PREFIXED_HEADER.test(header) && !WRITABLE_NAME.test(header)) ||
      BLOCKED_HEADERS.includes(header)
    ) {
      throw valueError(this.file, `[${header}] is not a section the AWS SDKs would read.`, hint);
    }
    const lines: Line[] = [];
    // Always one new blank line after existing text, even when the file
    // already ends with a blank or whitespace-only line: removeSection takes
    // out exactly one blank line with a section at the end, so add then
    // remove gives back the file byte for byte (#9 item 17). Reusing a
    // trailing blank line made "A\n" and "A\n\n" look the same after an add.
    if (this.#lines.length > 0) {
      lines.push({ kind: "trivia", text: "", eol: this.#eol });
    }
    lines.push({ kind: "header", text, eol: this.#eol, header, id: sectionId(header) });
    const at = this.#lines.length + lines.length - 1;
    this.#insert(this.#lines.length, lines);
    const span = this.#getSpans().find((s) => s.start === at);
    if (span === undefined) throw new Error("IniDocument: added section not found");
    return span;
  }

  #insert(index: number, lines: Line[]): void {
    this.#lines.splice(index, 0, ...lines);
    this.#fixEols();
  }

  /**
   * Every line but the last ends with a line break; the last one keeps the
   * file's choice (a file without a final newline stays without one).
   */
  #fixEols(): void {
    this.#spans = undefined;
    const n = this.#lines.length;
    for (let i = 0; i < n; i++) {
      const l = this.#lines[i];
      if (l === undefined) continue;
      if (i < n - 1) {
        if (l.eol === "") l.eol = this.#eol;
      } else if (this.#noFinalNewline) {
        l.eol = "";
      } else if (l.eol === "") {
        l.eol = this.#eol;
      }
    }
  }
}
