"""EC2: security group rules report the description they were created with, whatever their peer.

moto's DescribeSecurityGroupRules takes a rule's description from its CIDR range only, so rules whose
peer is another security group or a prefix list (our Glue and Redshift rules) came back without one,
and Terraform planned to re-add the description on every run.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models.security_groups import SecurityGroupRule

_original_init = SecurityGroupRule.__init__


def _init(
    self: SecurityGroupRule,
    ec2_backend: Any,
    ip_protocol: str,
    group_id: str,
    from_port: str | None,
    to_port: str | None,
    ip_range: dict[str, str] | None,
    source_group: dict[str, str] | None = None,
    prefix_list_id: dict[str, str] | None = None,
    **kwargs: Any,
) -> None:
    _original_init(
        self,
        ec2_backend,
        ip_protocol,
        group_id,
        from_port,
        to_port,
        ip_range,
        source_group,
        prefix_list_id,
        **kwargs,
    )
    self.prefix_list_description = (prefix_list_id or {}).get("Description")


def _description(self: SecurityGroupRule) -> str | None:
    return (
        self.ip_range.get("Description")
        or self.source_group.get("Description")
        or getattr(self, "prefix_list_description", None)
    )


def apply() -> None:
    SecurityGroupRule.__init__ = _init
    SecurityGroupRule.description = property(_description)
