"""Drives fake-aws with boto3/botocore. Reads a JSON plan on stdin (MFA codes
never in argv), prints one JSON object: each step's result or error code."""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

plan = json.load(sys.stdin)
out = {}


def err(fn):
    try:
        fn()
        return None
    except ClientError as e:
        return {
            "code": e.response["Error"]["Code"],
            "message": e.response["Error"]["Message"],
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
        }


def session(creds=None):
    kw = {"region_name": "us-east-1"}
    if creds:
        kw.update(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
    return boto3.session.Session(**kw)


base = session()
sts = base.client("sts")
iam = base.client("iam")
out["whoami"] = sts.get_caller_identity()["Arn"]
st = sts.get_session_token(
    SerialNumber=plan["serial"], TokenCode=plan["codes"][0], DurationSeconds=900
)["Credentials"]
out["session_key_prefix"] = st["AccessKeyId"][:4]
out["reused_code"] = err(
    lambda: sts.get_session_token(SerialNumber=plan["serial"], TokenCode=plan["codes"][0])
)
s_sts = session(st).client("sts")
out["session_whoami"] = s_sts.get_caller_identity()["Arn"]
out["nested_gst"] = err(lambda: s_sts.get_session_token())
role = s_sts.assume_role(
    RoleArn=plan["admin"],
    RoleSessionName="boto3",
    SourceIdentity="boto3-user",
    Tags=[{"Key": "k", "Value": "v"}],
    TransitiveTagKeys=["k"],
)
out["role_arn"] = role["AssumedRoleUser"]["Arn"]
out["role_source_identity"] = role.get("SourceIdentity")
out["chained_2h"] = err(
    lambda: s_sts.assume_role(RoleArn=plan["admin"], RoleSessionName="boto3", DurationSeconds=7200)
)
out["role_whoami"] = session(role["Credentials"]).client("sts").get_caller_identity()["Arn"]
out["direct_12h"] = sts.assume_role(
    RoleArn=plan["admin"],
    RoleSessionName="boto3-direct",
    DurationSeconds=43200,
    SerialNumber=plan["serial"],
    TokenCode=plan["codes"][1],
)["AssumedRoleUser"]["Arn"]
out["fed"] = sts.get_federation_token(Name="boto3-fed")["FederatedUser"]["Arn"]
out["get_user"] = iam.get_user()["User"]["UserName"]
new = iam.create_access_key()["AccessKey"]
out["new_key_prefix"] = new["AccessKeyId"][:4]
out["keys_after_create"] = len(iam.list_access_keys()["AccessKeyMetadata"])
iam.update_access_key(AccessKeyId=new["AccessKeyId"], Status="Inactive")
iam.delete_access_key(AccessKeyId=new["AccessKeyId"])
out["keys_after_delete"] = len(iam.list_access_keys()["AccessKeyMetadata"])
out["deleted_key_used"] = err(
    lambda: boto3.session.Session(
        region_name="us-east-1",
        aws_access_key_id=new["AccessKeyId"],
        aws_secret_access_key=new["SecretAccessKey"],
    )
    .client("sts")
    .get_caller_identity()
)
dev = iam.create_virtual_mfa_device(VirtualMFADeviceName="boto3-dev")["VirtualMFADevice"]
out["device_seed_len"] = len(dev["Base32StringSeed"])
out["device_png_magic"] = dev["QRCodePNG"][:4].hex()
out["mfa_devices"] = [d["SerialNumber"] for d in iam.list_mfa_devices()["MFADevices"]]
out["bad_enable"] = err(
    lambda: iam.enable_mfa_device(
        UserName="alice",
        SerialNumber=dev["SerialNumber"],
        AuthenticationCode1="000000",
        AuthenticationCode2="000000",
    )
)
out["no_such_user"] = err(lambda: iam.get_user(UserName="nobody"))
# botocore checks the range itself; turn that off to see the server's answer.
raw_sts = base.client("sts", config=Config(parameter_validation=False))
out["too_short"] = err(lambda: raw_sts.get_session_token(DurationSeconds=100))
json.dump(out, sys.stdout)
