// Run by clients.test.ts as a child process: the AWS SDK for JavaScript v3
// reads a profile's credential_process through fromProcess (its own config
// parsing, its own process spawn) and calls STS at the given endpoint.
// argv: PROFILE ENDPOINT. Prints {"Arn": ..., "Expiration": ...} on stdout.
import { fromProcess } from "@aws-sdk/credential-providers";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

const [profile, endpoint] = process.argv.slice(2);
const credentials = fromProcess({ profile });
const resolved = await credentials();
const sts = new STSClient({ region: "us-east-1", endpoint, credentials, maxAttempts: 1 });
const out = await sts.send(new GetCallerIdentityCommand({}));
process.stdout.write(
  JSON.stringify({ Arn: out.Arn, Expiration: resolved.expiration?.toISOString() ?? null }) + "\n",
);
