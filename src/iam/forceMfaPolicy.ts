/**
 * The self-service force-MFA policy: AWS's documented example "IAM: Allows
 * IAM users to self-manage an MFA device" (reference_policies_examples_iam_mfa-selfmanage),
 * with the three additions the IAM tutorial's Force_MFA policy and this tool
 * need while a user has no MFA yet:
 *
 * - `sts:GetSessionToken` stays allowed without MFA: it is how a user with
 *   long-term keys gets an MFA session in the first place (the tutorial's list).
 * - `iam:GetUser` on the user itself (the tutorial's list): who am I.
 * - `iam:DeleteVirtualMFADevice` on the device named after the user: `mfa
 *   enroll` deletes a device it created when confirming it fails. IAM refuses
 *   to delete a device that is assigned (DeleteConflict), and deactivating
 *   one still needs MFA, so this cannot take MFA away from anyone.
 *
 * The deny uses `BoolIfExists`: requests signed with long-term keys carry no
 * aws:MultiFactorAuthPresent at all, a plain `Bool ... false` does not match
 * an absent key, and such a policy (the one seed 002 and many guides copy)
 * leaves long-term keys with every permission.
 */
import type { PolicyDocument } from "./policyDocument.ts";

/** What a user may do before MFA is present; everything else is denied. */
export const ALLOWED_WITHOUT_MFA: readonly string[] = [
  "iam:CreateVirtualMFADevice",
  "iam:DeleteVirtualMFADevice",
  "iam:EnableMFADevice",
  "iam:GetUser",
  "iam:ListMFADevices",
  "iam:ListUsers",
  "iam:ListVirtualMFADevices",
  "iam:ResyncMFADevice",
  "sts:GetSessionToken",
];

export function forceMfaPolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowListActions",
        Effect: "Allow",
        Action: ["iam:ListUsers", "iam:ListVirtualMFADevices"],
        Resource: "*",
      },
      {
        Sid: "AllowUserToCreateVirtualMFADevice",
        Effect: "Allow",
        Action: ["iam:CreateVirtualMFADevice"],
        Resource: "arn:aws:iam::*:mfa/*",
      },
      {
        Sid: "AllowUserToDeleteTheirOwnUnassignedVirtualMFADevice",
        Effect: "Allow",
        Action: ["iam:DeleteVirtualMFADevice"],
        Resource: "arn:aws:iam::*:mfa/${aws:username}",
      },
      {
        Sid: "AllowUserToManageTheirOwnMFA",
        Effect: "Allow",
        Action: [
          "iam:EnableMFADevice",
          "iam:GetMFADevice",
          "iam:GetUser",
          "iam:ListMFADevices",
          "iam:ResyncMFADevice",
        ],
        Resource: "arn:aws:iam::*:user/${aws:username}",
      },
      {
        Sid: "AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA",
        Effect: "Allow",
        Action: ["iam:DeactivateMFADevice"],
        Resource: ["arn:aws:iam::*:user/${aws:username}"],
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
      {
        Sid: "BlockMostAccessUnlessSignedInWithMFA",
        Effect: "Deny",
        NotAction: ALLOWED_WITHOUT_MFA,
        Resource: "*",
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
      },
    ],
  };
}

/** The policy as `awsmfa policy force-mfa` prints it: JSON, two-space indent. */
export function formatPolicy(doc: PolicyDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
