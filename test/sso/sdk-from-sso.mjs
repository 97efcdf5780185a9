/**
 * The AWS SDK for JavaScript v3 reading the SSO token cache awsmfa wrote:
 * fromSSO() for the profile, then GetCallerIdentity with those credentials.
 * Prints the caller's ARN. Run with HOME (and AWS_CONFIG_FILE) of the
 * sandbox and AWS_ENDPOINT_URL_SSO / _SSO_OIDC pointing at fake-aws.
 *
 *   node sdk-from-sso.mjs PROFILE STS_URL
 */
import { fromSSO } from "@aws-sdk/credential-providers";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

const [profile = "", stsUrl = ""] = process.argv.slice(2);
const credentials = await fromSSO({ profile })();
const sts = new STSClient({ region: "us-east-1", endpoint: stsUrl, credentials, maxAttempts: 1 });
const id = await sts.send(new GetCallerIdentityCommand({}));
process.stdout.write(`${id.Arn ?? ""}\n`);
