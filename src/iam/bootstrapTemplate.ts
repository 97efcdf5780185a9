/**
 * The CloudFormation template `awsmfa bootstrap --template` prints: an
 * MFA-only role, a group whose members may assume it, and the force-MFA
 * self-service policy for that group (see forceMfaPolicy.ts). The IAM side
 * of seed 004's `cfn/aws-cli-mfa.yaml`, with names and limits as options.
 */
import { forceMfaPolicy } from "./forceMfaPolicy.ts";
import { toYaml } from "./toYaml.ts";

export interface BootstrapOptions {
  readonly roleName: string;
  readonly groupName: string;
  /** The role's MaxSessionDuration, 3600..43200 seconds. */
  readonly maxSessionSeconds: number;
  /** Managed policies the role's sessions get. */
  readonly rolePolicyArns: readonly string[];
}

export const DEFAULT_ROLE_NAME = "mfa-admin";
export const DEFAULT_GROUP_NAME = "mfa-users";
export const DEFAULT_MAX_SESSION = 43_200;
export const DEFAULT_ROLE_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess";

/** Managed policy names the bootstrap creates (both attached to the group). */
export function bootstrapPolicyNames(o: Pick<BootstrapOptions, "roleName" | "groupName">) {
  return {
    forceMfa: `${o.groupName}-force-mfa`,
    assumeRole: `${o.groupName}-assume-${o.roleName}`,
  };
}

/**
 * The role's trust policy: any principal of this account whose own policies
 * allow sts:AssumeRole on it (the group's), and only with MFA. `Bool` is
 * right here, unlike in a Deny: a request without MFA has no
 * aws:MultiFactorAuthPresent key, so the condition fails and the Allow does
 * not apply.
 */
export function trustPolicy(accountRoot: unknown): unknown {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: accountRoot },
        Action: "sts:AssumeRole",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
    ],
  };
}

/** The policy that lets the group's members assume the role. */
export function assumeRolePolicy(roleArn: unknown): unknown {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AssumeMfaRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn },
    ],
  };
}

export function bootstrapTemplate(o: BootstrapOptions): unknown {
  const names = bootstrapPolicyNames(o);
  const roleArn = { "Fn::GetAtt": ["MfaRole", "Arn"] };
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `awsmfa bootstrap: role ${o.roleName} (MFA required), group ${o.groupName} allowed to assume it, and MFA self-service for the group's users`,
    Resources: {
      MfaRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: o.roleName,
          Description: "Assumable only with MFA (awsmfa bootstrap)",
          MaxSessionDuration: o.maxSessionSeconds,
          AssumeRolePolicyDocument: trustPolicy({
            "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
          }),
          ManagedPolicyArns: [...o.rolePolicyArns],
        },
      },
      MfaGroup: {
        Type: "AWS::IAM::Group",
        Properties: { GroupName: o.groupName },
      },
      AssumeRolePolicy: {
        Type: "AWS::IAM::ManagedPolicy",
        Properties: {
          ManagedPolicyName: names.assumeRole,
          Description: `Lets ${o.groupName} assume ${o.roleName} (the role itself requires MFA)`,
          Groups: [{ Ref: "MfaGroup" }],
          PolicyDocument: assumeRolePolicy(roleArn),
        },
      },
      ForceMfaPolicy: {
        Type: "AWS::IAM::ManagedPolicy",
        Properties: {
          ManagedPolicyName: names.forceMfa,
          Description:
            "Denies everything but MFA self-service and GetSessionToken until signed in with MFA",
          Groups: [{ Ref: "MfaGroup" }],
          PolicyDocument: forceMfaPolicy(),
        },
      },
    },
    Outputs: {
      RoleArn: { Description: "role_arn for the awsmfa profile", Value: roleArn },
      GroupName: { Description: "Add IAM users to this group", Value: { Ref: "MfaGroup" } },
    },
  };
}

export function formatTemplate(o: BootstrapOptions): string {
  return `# awsmfa bootstrap --template: deploy with
#   aws cloudformation deploy --template-file FILE --stack-name awsmfa-bootstrap --capabilities CAPABILITY_NAMED_IAM
${toYaml(bootstrapTemplate(o))}`;
}
