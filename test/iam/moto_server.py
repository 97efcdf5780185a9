"""moto's server, plus three things moto 5's CloudFormation leaves out that
the bootstrap template uses, each done through moto's own code:

1. AWS::IAM::Group: moto skips the type with a warning, so `Ref: MfaGroup`
   came back None and the stack failed. The shim calls the IAM backend's
   create_group, as CloudFormation calls CreateGroup.
2. AWS::IAM::Role's ManagedPolicyArns: moto ignores the property. The shim
   calls the backend's attach_role_policy for each, as CloudFormation calls
   AttachRolePolicy.
3. Stack outputs of a stack made by a change set (`aws cloudformation
   deploy`): moto computes them when the change set is created, before any
   resource exists, and never again. The shim recomputes them after the
   change set is applied, as moto's own stack update does.

Roles, groups' managed policies and their attachments, trust documents and
policy documents are otherwise moto's.

Usage: python3 moto_server.py -H 127.0.0.1 -p PORT
"""

from typing import Any

from moto.cloudformation.models import CloudFormationBackend
from moto.core.common_models import CloudFormationModel
from moto.iam.models import Group, Role, iam_backends
from moto.server import main
from moto.utilities.utils import get_partition


class CfnIamGroup(CloudFormationModel):
    # moto's model registry reads the service name from the module path.
    __module__ = "moto.iam.models"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "GroupName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::IAM::Group"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Group:
        properties = cloudformation_json.get("Properties", {})
        backend = iam_backends[account_id][get_partition(region_name)]
        return backend.create_group(
            properties.get("GroupName", resource_name), properties.get("Path", "/")
        )


# CloudFormation's Ref of a group is its name.
Group.physical_resource_id = property(lambda self: self.name)  # type: ignore[attr-defined]

_create_role = Role.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]


def _create_role_with_managed_policies(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):  # type: ignore[no-untyped-def]
    role = _create_role(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    backend = iam_backends[account_id][get_partition(region_name)]
    for arn in cloudformation_json["Properties"].get("ManagedPolicyArns", []):
        backend.attach_role_policy(arn, role.name)
    return role


Role.create_from_cloudformation_json = classmethod(_create_role_with_managed_policies)  # type: ignore[method-assign,assignment]

_execute_change_set = CloudFormationBackend.execute_change_set


def _execute_then_outputs(self, change_set_name, stack_name=None):  # type: ignore[no-untyped-def]
    _execute_change_set(self, change_set_name, stack_name)
    for stack in self.stacks.values():
        if stack.name == stack_name or stack.stack_id == stack_name:
            stack._parse_template()
            stack.output_map = stack._create_output_map()


CloudFormationBackend.execute_change_set = _execute_then_outputs  # type: ignore[method-assign]

if __name__ == "__main__":
    main()
