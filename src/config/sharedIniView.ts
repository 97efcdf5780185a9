/**
 * What the AWS SDK for JavaScript v3 reads from one parsed file
 * (`loadSharedConfigFiles`): sections merged by the SDK's name for them
 * (duplicates merge, later keys win), and in the config file only
 * `[profile x]`, `[default]`, `[sso-session x]` and `[services x]` kept,
 * with `[profile default]` replacing `[default]` when it has keys.
 */
import type { IniDocument, IniFileKind, IniSection } from "./IniDocument.ts";

export interface ViewValue {
  readonly value: string;
  /** 1-based line the winning value is on. */
  readonly line: number;
}

export interface ViewGroup {
  /**
   * The SDK's name for it in this file's map: a profile name (`dev`,
   * `default`), or `sso-session.x` / `services.x` in the config file.
   */
  readonly name: string;
  /** Profile sections give a profile; others are sso-session / services. */
  readonly kind: "profile" | "sso-session" | "services";
  /** The sections merged into it, in file order. */
  readonly sections: readonly IniSection[];
  readonly values: ReadonlyMap<string, ViewValue>;
}

export interface ViewOptions {
  /**
   * Keep sections without keys (the SDK drops them; a `[profile x]` with no
   * keys still names a profile for awsmfa, e.g. one whose keys are stored).
   */
  readonly includeEmpty?: boolean;
}

/** What a view reads: a document's sections in file order (all of them, or those of some names). */
export type IniSections = Pick<IniDocument, "sections">;

interface IdGroup {
  readonly id: string;
  readonly sections: IniSection[];
  /** The merged values (later keys win), read on first use. */
  readonly values: ReadonlyMap<string, ViewValue>;
}

function groupById(doc: IniSections): Map<string, IdGroup> {
  const groups = new Map<string, IdGroup>();
  for (const s of doc.sections()) {
    if (s.id === undefined) continue;
    let g = groups.get(s.id);
    if (g === undefined) {
      g = new LazyGroup(s.id);
      groups.set(s.id, g);
    }
    g.sections.push(s);
  }
  return groups;
}

/**
 * A group whose values are merged when first read: a config with thousands
 * of profiles is grouped on every call, and a cached credential_process
 * reads the values of the few on its chain. (Classes, not object literals
 * with getters: V8 builds those through a slow path, one at a time.)
 */
class LazyGroup implements IdGroup {
  readonly sections: IniSection[] = [];
  #values: Map<string, ViewValue> | undefined;

  constructor(readonly id: string) {}

  get values(): ReadonlyMap<string, ViewValue> {
    if (this.#values === undefined) {
      this.#values = new Map();
      for (const s of this.sections) {
        for (const e of s.entries) this.#values.set(e.key, { value: e.value, line: e.line });
      }
    }
    return this.#values;
  }
}

/** The group under its name in the view; its values are still read on first use. */
class NamedGroup implements ViewGroup {
  constructor(
    readonly name: string,
    readonly kind: ViewGroup["kind"],
    readonly group: IdGroup,
  ) {}

  get sections(): readonly IniSection[] {
    return this.group.sections;
  }

  get values(): ReadonlyMap<string, ViewValue> {
    return this.group.values;
  }
}

function viewGroup(name: string, kind: ViewGroup["kind"], g: IdGroup): ViewGroup {
  return new NamedGroup(name, kind, g);
}

export function sharedIniView(
  doc: IniSections,
  kind: IniFileKind,
  options: ViewOptions = {},
): Map<string, ViewGroup> {
  const keep = (g: IdGroup) => options.includeEmpty === true || g.values.size > 0;
  const out = new Map<string, ViewGroup>();
  const groups = groupById(doc);
  if (kind === "credentials") {
    for (const g of groups.values()) {
      if (keep(g)) out.set(g.id, viewGroup(g.id, "profile", g));
    }
    return out;
  }
  const explicitDefault = groups.get("profile.default");
  const bareDefault = groups.get("default");
  // The SDK starts from [default] and lets [profile default] replace it
  // wholesale when [profile default] has any key.
  let defaultGroup: IdGroup | undefined;
  if (explicitDefault !== undefined && explicitDefault.values.size > 0)
    defaultGroup = explicitDefault;
  else if (bareDefault !== undefined && keep(bareDefault)) defaultGroup = bareDefault;
  else if (explicitDefault !== undefined && keep(explicitDefault)) defaultGroup = explicitDefault;
  for (const g of groups.values()) {
    if (g.id === "default" || g.id === "profile.default") {
      if (g === defaultGroup) {
        out.set("default", viewGroup("default", "profile", g));
      }
      continue;
    }
    const dot = g.id.indexOf(".");
    if (dot === -1 || !keep(g)) continue;
    const prefix = g.id.slice(0, dot);
    if (prefix === "profile") {
      const name = g.id.slice(dot + 1);
      out.set(name, viewGroup(name, "profile", g));
    } else if (prefix === "sso-session" || prefix === "services") {
      out.set(g.id, viewGroup(g.id, prefix, g));
    }
  }
  return out;
}

/**
 * Exactly the shape `loadSharedConfigFiles` returns for this file
 * (`configFile` or `credentialsFile`): name -> key -> value.
 */
export function toSharedIniData(
  doc: IniDocument,
  kind: IniFileKind,
): Record<string, Record<string, string>> {
  return Object.fromEntries(
    [...sharedIniView(doc, kind)].map(([name, g]) => [
      name,
      Object.fromEntries([...g.values].map(([k, v]) => [k, v.value])),
    ]),
  );
}
