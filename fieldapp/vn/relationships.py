"""Relationship to the head of household (quan hệ với chủ hộ): codes and Vietnamese labels."""

from __future__ import annotations

RELATIONSHIPS: dict[str, str] = {
    "head": "Chủ hộ",
    "spouse": "Vợ/chồng",
    "child": "Con",
    "parent": "Cha/mẹ",
    "parent_in_law": "Cha/mẹ vợ/chồng",
    "child_in_law": "Con dâu/con rể",
    "grandchild": "Cháu",
    "grandparent": "Ông/bà",
    "sibling": "Anh/chị/em",
    "other_relative": "Họ hàng khác",
    "other": "Khác",
}


def is_relationship(code: str) -> bool:
    """True for one of the codes in :data:`RELATIONSHIPS`."""
    return code in RELATIONSHIPS
