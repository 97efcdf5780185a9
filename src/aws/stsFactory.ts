/**
 * The StsFactory the CLI hands to the engine. Creating a client costs
 * nothing; the AWS SDK is imported on the first call, so paths that never
 * talk to STS (a cached credential_process answer) never load it.
 */
import type { StsClient, StsClientOptions, StsFactory } from "./StsClient.ts";

export const stsFactory: StsFactory = (options: StsClientOptions): StsClient => {
  let real: Promise<StsClient> | undefined;
  const load = (): Promise<StsClient> => {
    real ??= import("./sts.ts").then((m) => m.createSdkStsClient(options));
    return real;
  };
  return {
    getSessionToken: async (input) => (await load()).getSessionToken(input),
    assumeRole: async (input) => (await load()).assumeRole(input),
    getCallerIdentity: async () => (await load()).getCallerIdentity(),
  };
};
