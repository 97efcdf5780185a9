/**
 * The AWS managed policies fake-aws knows, by ARN (attach them to roles,
 * groups and users with AttachRolePolicy and friends). Documents simplified
 * to what the fake evaluates.
 */
import type { PolicyDocument } from "./world.ts";

export const AWS_MANAGED: ReadonlyMap<string, PolicyDocument> = new Map([
  [
    "arn:aws:iam::aws:policy/AdministratorAccess",
    { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  ],
  [
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["iam:Get*", "iam:List*", "sts:GetCallerIdentity"],
          Resource: "*",
        },
      ],
    },
  ],
]);
