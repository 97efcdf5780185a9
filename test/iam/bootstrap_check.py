"""Reads back, with boto3, what `aws cloudformation deploy` of the bootstrap
template made in moto. stdin: {"url", "stack", "role", "group"}; stdout: JSON."""

import json
import sys

import boto3

args = json.load(sys.stdin)
kw = {"endpoint_url": args["url"], "region_name": "us-east-1"}
iam = boto3.client("iam", **kw)
cfn = boto3.client("cloudformation", **kw)


def document(policy_arn):
    version = iam.get_policy(PolicyArn=policy_arn)["Policy"]["DefaultVersionId"]
    return iam.get_policy_version(PolicyArn=policy_arn, VersionId=version)["PolicyVersion"][
        "Document"
    ]


role = iam.get_role(RoleName=args["role"])["Role"]
group = iam.get_group(GroupName=args["group"])["Group"]
attached = iam.list_attached_group_policies(GroupName=args["group"])["AttachedPolicies"]
stack = cfn.describe_stacks(StackName=args["stack"])["Stacks"][0]
json.dump(
    {
        "role": {
            "Arn": role["Arn"],
            "MaxSessionDuration": role["MaxSessionDuration"],
            "AssumeRolePolicyDocument": role["AssumeRolePolicyDocument"],
            "AttachedPolicies": sorted(
                p["PolicyArn"]
                for p in iam.list_attached_role_policies(RoleName=args["role"])["AttachedPolicies"]
            ),
        },
        "group": {"GroupName": group["GroupName"], "Arn": group["Arn"]},
        "groupPolicies": {p["PolicyName"]: document(p["PolicyArn"]) for p in attached},
        "stackStatus": stack["StackStatus"],
        "outputs": {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
    },
    sys.stdout,
)
