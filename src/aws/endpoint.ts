/**
 * Where STS calls go, with the AWS SDKs' precedence for service-specific
 * endpoints: AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL, then the profile's
 * `[services]` section `sts.endpoint_url`, then the profile's `endpoint_url`;
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns all of them off. Without
 * any, the regional endpoint. We always resolve it ourselves and hand the SDK
 * an explicit URL, so the SDK never reads process.env behind our back.
 */
import type { AwsConfig, ProfileConfig } from "../config/types.ts";
import { nonBlank, type Env } from "../platform/env.ts";

export interface ResolvedEndpoint {
  readonly url: string;
  /** Where it came from, for --debug. */
  readonly from: string;
}

export function resolveStsEndpoint(
  env: Env,
  config: Pick<AwsConfig, "services">,
  profiles: readonly ProfileConfig[],
  region: string,
): ResolvedEndpoint {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== "true") {
    const stsVar = nonBlank(env.AWS_ENDPOINT_URL_STS);
    if (stsVar !== undefined) return { url: stsVar, from: "AWS_ENDPOINT_URL_STS" };
    const globalVar = nonBlank(env.AWS_ENDPOINT_URL);
    if (globalVar !== undefined) return { url: globalVar, from: "AWS_ENDPOINT_URL" };
    // The profile asked for first, then the profiles it sources from: the
    // first one that says anything about endpoints decides.
    for (const p of profiles) {
      if (p.services !== undefined) {
        const url = nonBlank(config.services.get(p.services)?.sts?.endpoint_url);
        if (url !== undefined) {
          return { url, from: `[services ${p.services}] sts endpoint_url (profile ${p.name})` };
        }
      }
      const url = nonBlank(p.endpointUrl);
      if (url !== undefined) return { url, from: `endpoint_url of profile ${p.name}` };
    }
  }
  return { url: defaultStsEndpoint(region), from: `the regional endpoint for ${region}` };
}

export function defaultStsEndpoint(region: string): string {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://sts.${region}.${suffix}`;
}
