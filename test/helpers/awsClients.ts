/**
 * The real AWS clients tests talk to (AWS CLI v1 on PATH, v2 from Debian's
 * awscli, boto3), and why one cannot run here (a test then skips loudly).
 */
import { access } from "node:fs/promises";
import { runProcess } from "./sandbox.ts";

/** Debian's awscli package: AWS CLI v2 (it ignores AWS_ENDPOINT_URL_*: pass --endpoint-url). */
export const AWS_V2 = "/usr/bin/aws";

/**
 * boto3's GetCallerIdentity as JSON {Arn}: profile WHO_PROFILE (else the
 * default chain), STS at WHO_ENDPOINT.
 */
export const BOTO3_WHOAMI = `
import json, os, boto3
profile = os.environ.get("WHO_PROFILE")
session = boto3.Session(profile_name=profile) if profile else boto3.Session()
sts = session.client("sts", region_name="us-east-1", endpoint_url=os.environ["WHO_ENDPOINT"])
print(json.dumps({"Arn": sts.get_caller_identity()["Arn"]}))
`;

/** Why `cmd args` (a version check, an import) fails here, or undefined when it runs. */
export async function whyMissing(
  cmd: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<string | undefined> {
  const r = await runProcess(cmd, args, env).catch((e: unknown) => ({
    code: null,
    stderr: String(e),
  }));
  return r.code === 0 ? undefined : `${cmd} ${args.join(" ")}: ${r.stderr.trim() || "failed"}`;
}

/** Why AWS CLI v2 cannot run here, or undefined. */
export async function whyNoAwsV2(env: Record<string, string>): Promise<string | undefined> {
  const present = await access(AWS_V2).then(
    () => true,
    () => false,
  );
  if (!present) return `${AWS_V2} does not exist (apt-get install awscli)`;
  return whyMissing(AWS_V2, ["--version"], env);
}

/** GetCallerIdentity as each client does it for a profile (JSON with an Arn on stdout). */
export const whoAmI = {
  awsV1: (profile: string, env: Record<string, string>) =>
    runProcess("aws", ["sts", "get-caller-identity", "--profile", profile], env),
  awsV2: (profile: string, env: Record<string, string>, endpoint: string) =>
    runProcess(
      AWS_V2,
      ["--endpoint-url", endpoint, "sts", "get-caller-identity", "--profile", profile],
      env,
    ),
  boto3: (profile: string, env: Record<string, string>, endpoint: string) =>
    runProcess("python3", ["-c", BOTO3_WHOAMI], {
      ...env,
      WHO_PROFILE: profile,
      WHO_ENDPOINT: endpoint,
    }),
};
