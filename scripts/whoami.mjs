// The demo's command when the AWS CLI is not installed: GetCallerIdentity
// with the AWS SDK, using the credentials awsmfa put in the environment.
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";

const sts = new STSClient({ region: process.env.AWS_REGION ?? "us-east-1" });
const id = await sts.send(new GetCallerIdentityCommand({}));
console.log(JSON.stringify({ UserId: id.UserId, Account: id.Account, Arn: id.Arn }, null, 4));
