/**
 * Where IAM calls go, with the SDKs' precedence (as for STS, see
 * aws/endpoint.ts): AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL, the profile's
 * `[services]` `iam.endpoint_url`, the profile's `endpoint_url`; else IAM's
 * global endpoint. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns them off.
 */
import type { AwsConfig, ProfileConfig } from "../config/types.ts";
import type { ResolvedEndpoint } from "../aws/endpoint.ts";
import { nonBlank, type Env } from "../platform/env.ts";

/** IAM is global: one endpoint, requests signed for us-east-1. */
export const IAM_DEFAULT_ENDPOINT = "https://iam.amazonaws.com";
export const IAM_SIGNING_REGION = "us-east-1";

export function resolveIamEndpoint(
  env: Env,
  config: Pick<AwsConfig, "services">,
  profile: ProfileConfig | undefined,
): ResolvedEndpoint {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== "true") {
    const iamVar = nonBlank(env.AWS_ENDPOINT_URL_IAM);
    if (iamVar !== undefined) return { url: iamVar, from: "AWS_ENDPOINT_URL_IAM" };
    const globalVar = nonBlank(env.AWS_ENDPOINT_URL);
    if (globalVar !== undefined) return { url: globalVar, from: "AWS_ENDPOINT_URL" };
    if (profile?.services !== undefined) {
      const url = nonBlank(config.services.get(profile.services)?.iam?.endpoint_url);
      if (url !== undefined) {
        return { url, from: `[services ${profile.services}] iam endpoint_url` };
      }
    }
    const url = nonBlank(profile?.endpointUrl);
    if (url !== undefined && profile !== undefined) {
      return { url, from: `endpoint_url of profile ${profile.name}` };
    }
  }
  return { url: IAM_DEFAULT_ENDPOINT, from: "IAM's global endpoint" };
}
