/**
 * A profile ready for the credential engine: include_profile merged in (own
 * keys win), values validated, and the source_profile chain walked to its
 * root, with cycle detection that names every profile visited.
 *
 * A profile with keys in the secret store needs no section: as with
 * aws-vault, `awsmfa add work` alone makes `work` usable, asked for directly
 * or named by source_profile. Without a section it is an empty profile (no
 * region, no mfa_serial) whose long-term credentials are the stored keys.
 */
import { didYouMean } from "../didYouMean.ts";
import { AwsmfaError } from "../errors.ts";
import { LazyMap } from "./lazyMap.ts";
import { makeProfileConfig, STATIC_KEY_NAMES, valuesOf } from "./profileConfig.ts";
import type { AwsConfig, ProfileConfig, ResolvedProfile, SourceLocation } from "./types.ts";
import { validateProfile } from "./validateProfile.ts";

export interface ResolveOptions {
  /** Profiles with long-term keys in the secret store (names only). */
  readonly storedKeys?: ReadonlySet<string>;
}

export function resolveProfile(
  fileConfig: AwsConfig,
  name: string,
  options: ResolveOptions = {},
): ResolvedProfile {
  const config = withStoreOnlyProfiles(fileConfig, options.storedKeys);
  const first = lookup(config, name);
  if (first === undefined) {
    const files = `${config.configFileLabel ?? config.configFile} or ${config.credentialsFileLabel ?? config.credentialsFile}`;
    // A typo of a profile there is: name it (store-only profiles included).
    const near = didYouMean(name, config.profiles.keys());
    const section = name === "default" ? "default" : `profile ${name}`;
    const where = `[${section}] to ${config.configFileLabel ?? config.configFile}, or run 'awsmfa list' to see the profiles there are.`;
    throw new AwsmfaError("E_PROFILE_NOT_FOUND", `Profile '${name}' is not in ${files}.`, {
      hint: near === undefined ? `Add ${where}` : `${near} Otherwise add ${where}`,
    });
  }
  const chain: ProfileConfig[] = [checked(config, withIncludes(config, first))];
  // Walk source_profile hops. The order of the stop conditions matters:
  for (;;) {
    const current = chain.at(-1);
    if (current === undefined) break;
    const source = current.sourceProfile;
    // 1. No source_profile: this profile holds (or finds) its own credentials.
    if (source === undefined) break;
    // 2. source_profile naming itself: the AWS CLI's way to keep keys and the
    //    role in one profile. It is the root, not a cycle. (botocore also
    //    requires static keys in the file; awsmfa keeps keys in its store,
    //    so the engine checks for keys there.)
    if (source === current.name) break;
    const visited = chain.map((p) => p.name);
    if (visited.includes(source)) {
      throw cycleError(
        "source_profile",
        [...visited, source],
        chain.map((p) => p.where["source_profile"] ?? p.location),
      );
    }
    const next = lookup(config, source);
    if (next === undefined) {
      // validateProfile reports this first; kept so the chain never has a hole.
      const where = current.where["source_profile"] ?? current.location;
      throw new AwsmfaError(
        "E_CONFIG_REFERENCE",
        `${where.file}:${where.line}: source_profile in profile '${current.name}' names profile '${source}', which does not exist.`,
        { hint: `Add [profile ${source}], or fix the name.` },
      );
    }
    const resolved = checked(config, withIncludes(config, next));
    chain.push(resolved);
    // 3. A source profile with keys in the file: the AWS SDKs and CLI use
    //    those keys and ignore its own role_arn/source_profile.
    if (resolved.staticKeys !== undefined) break;
  }
  const profile = chain[0];
  if (profile === undefined) throw new Error("resolveProfile: empty chain");
  return { profile, chain };
}

/**
 * The config as the engine sees it: every stored-keys profile without a
 * section of its own added as an empty one, so the lookups and the
 * source_profile check in validateProfile find it.
 */
function withStoreOnlyProfiles(
  config: AwsConfig,
  storedKeys: ReadonlySet<string> | undefined,
): AwsConfig {
  const missing = [...(storedKeys ?? [])].filter((n) => !config.profiles.has(n));
  if (missing.length === 0) return config;
  const extra = new Map<string, ProfileConfig>();
  for (const n of missing) {
    extra.set(
      n,
      makeProfileConfig({
        name: n,
        values: new Map(),
        // Never shown: such a profile has no keys to point at and always has
        // credentials (the stored keys), so no message names its location.
        location: { file: "(stored keys, no config section)", line: 0 },
        inConfig: false,
        inCredentials: false,
      }),
    );
  }
  // A view, not a copy: copying would build every profile of the config.
  const profiles = new LazyMap(
    (name) => config.profiles.get(name) ?? extra.get(name),
    () => new Map([...config.profiles, ...extra]),
  );
  return { ...config, profiles };
}

function lookup(config: AwsConfig, name: string): ProfileConfig | undefined {
  return config.profiles.get(name);
}

function checked(config: AwsConfig, p: ProfileConfig): ProfileConfig {
  const problems = validateProfile(p, config);
  const first = problems[0];
  if (first !== undefined) {
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""} in this profile)`
        : "";
    throw new AwsmfaError(first.code, first.message + more, {
      ...(first.hint === undefined ? {} : { hint: first.hint }),
    });
  }
  return p;
}

/**
 * The profile with its include_profile chain merged under it: keys of the
 * including profile win, the included profile's config keys fill the gaps.
 * Static keys do not travel: they belong to the profile they are written in.
 */
function withIncludes(config: AwsConfig, p: ProfileConfig): ProfileConfig {
  if (p.includeProfile === undefined) return p;
  const seen: ProfileConfig[] = [p];
  let current = p;
  while (current.includeProfile !== undefined && current.includeProfile !== current.name) {
    const next: string = current.includeProfile;
    if (seen.some((s) => s.name === next)) {
      throw cycleError(
        "include_profile",
        [...seen.map((s) => s.name), next],
        seen.map((s) => s.where["include_profile"] ?? s.location),
      );
    }
    const included = lookup(config, next);
    if (included === undefined) {
      const where = current.where["include_profile"] ?? current.location;
      throw new AwsmfaError(
        "E_CONFIG_REFERENCE",
        `${where.file}:${where.line}: include_profile in profile '${current.name}' names profile '${next}', which does not exist.`,
        {
          hint: `Add [profile ${next}] to ${config.configFileLabel ?? config.configFile}, or fix the name.`,
        },
      );
    }
    seen.push(included);
    current = included;
  }
  const values = valuesOf(p);
  for (const inc of seen.slice(1)) {
    for (const [k, v] of valuesOf(inc)) {
      if ((STATIC_KEY_NAMES as readonly string[]).includes(k)) continue;
      if (!values.has(k)) values.set(k, v);
    }
  }
  return makeProfileConfig({
    name: p.name,
    values,
    location: p.location,
    inConfig: p.inConfig,
    inCredentials: p.inCredentials,
  });
}

/** "Profile cycle: a -> b -> a (~/.aws/config:3, :9)" */
function cycleError(
  key: string,
  names: readonly string[],
  where: readonly SourceLocation[],
): AwsmfaError {
  let lastFile: string | undefined;
  const places = where.map((w) => {
    const s = w.file === lastFile ? `:${w.line}` : `${w.file}:${w.line}`;
    lastFile = w.file;
    return s;
  });
  return new AwsmfaError(
    "E_PROFILE_CYCLE",
    `Profile cycle: ${names.join(" -> ")} (${places.join(", ")}).`,
    {
      hint: `Change ${key} in one of these profiles so the chain ends at a profile with credentials of its own.`,
    },
  );
}
