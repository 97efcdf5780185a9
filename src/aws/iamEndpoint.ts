/**
 * Where IAM calls go, with the SDKs' precedence (as resolveStsEndpoint does
 * for STS): AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL, the profile's
 * `[services]` `iam.endpoint_url`, its `endpoint_url`; else the partition's
 * global endpoint. IAM is global: requests are signed for the partition's
 * home region.
 */
import type { AwsConfig, ProfileConfig } from "../config/types.ts";
import { nonBlank, type Env } from "../platform/env.ts";
import type { ResolvedEndpoint } from "./endpoint.ts";
import type { Partition } from "./federation.ts";

const GLOBAL: Readonly<Record<Partition, { url: string; region: string }>> = {
  aws: { url: "https://iam.amazonaws.com", region: "us-east-1" },
  "aws-cn": { url: "https://iam.cn-north-1.amazonaws.com.cn", region: "cn-north-1" },
  "aws-us-gov": { url: "https://iam.us-gov.amazonaws.com", region: "us-gov-west-1" },
};

export function resolveIamEndpoint(
  env: Env,
  config: Pick<AwsConfig, "services">,
  profiles: readonly ProfileConfig[],
  partition: Partition,
): ResolvedEndpoint & { readonly region: string } {
  const region = GLOBAL[partition].region;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== "true") {
    const iamVar = nonBlank(env.AWS_ENDPOINT_URL_IAM);
    if (iamVar !== undefined) return { url: iamVar, from: "AWS_ENDPOINT_URL_IAM", region };
    const globalVar = nonBlank(env.AWS_ENDPOINT_URL);
    if (globalVar !== undefined) return { url: globalVar, from: "AWS_ENDPOINT_URL", region };
    for (const p of profiles) {
      if (p.services !== undefined) {
        const url = nonBlank(config.services.get(p.services)?.iam?.endpoint_url);
        if (url !== undefined) {
          return {
            url,
            from: `[services ${p.services}] iam endpoint_url (profile ${p.name})`,
            region,
          };
        }
      }
      const url = nonBlank(p.endpointUrl);
      if (url !== undefined) return { url, from: `endpoint_url of profile ${p.name}`, region };
    }
  }
  return { url: GLOBAL[partition].url, from: `the ${partition} partition's IAM endpoint`, region };
}
