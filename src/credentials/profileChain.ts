/**
 * The source_profile chain of a profile, chain[0] being the profile itself.
 * TEMPORARY stand-in until src/config's resolveProfile lands (which also
 * merges include_profile); same contract.
 */
import type { AwsConfig, ProfileConfig } from "../config/types.ts";
import { AwsmfaError } from "../errors.ts";

export function profileChain(config: AwsConfig, name: string): ProfileConfig[] {
  const chain: ProfileConfig[] = [];
  const seen: string[] = [];
  let current: string | undefined = name;
  while (current !== undefined) {
    if (seen.includes(current)) {
      throw new AwsmfaError(
        "E_PROFILE_CYCLE",
        `source_profile forms a cycle: ${[...seen, current].join(" -> ")}.`,
        { hint: "Point the last profile's source_profile at one that holds keys." },
      );
    }
    const p = config.profiles.get(current);
    if (p === undefined) {
      throw new AwsmfaError(
        "E_PROFILE_NOT_FOUND",
        seen.length === 0
          ? `Profile ${current} is not in ${config.configFile} or ${config.credentialsFile}.`
          : `Profile ${current} (source_profile of ${seen[seen.length - 1] ?? ""}) is not in ${config.configFile}.`,
        { hint: "Check the name, or add the profile to the config file." },
      );
    }
    seen.push(current);
    chain.push(p);
    current = p.sourceProfile === p.name ? undefined : p.sourceProfile;
  }
  return chain;
}
