/**
 * The IamFactory the CLI uses. Creating a client costs nothing; the AWS SDK
 * is imported on the first call.
 */
import type { IamClient, IamFactory } from "./IamClient.ts";

/** Loads the SDK on the first call, never before. */
export const iamFactory: IamFactory = (options) => {
  let real: Promise<IamClient> | undefined;
  const load = (): Promise<IamClient> => {
    real ??= import("./iam.ts").then((m) => m.createSdkIamClient(options));
    return real;
  };
  return {
    listAccessKeys: async () => (await load()).listAccessKeys(),
    createAccessKey: async () => (await load()).createAccessKey(),
    deleteAccessKey: async (id) => (await load()).deleteAccessKey(id),
  };
};
