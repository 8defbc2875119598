"""The one shared model configuration (模型基类)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["WusheModel"]


class WusheModel(BaseModel):
    """Base of every wushe boundary model (五社数据模型基类).

    Frozen, rejects unknown fields, documents fields from their attribute docstrings, and
    never echoes input values in validation errors (they may be sensitive).
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        hide_input_in_errors=True,
        str_strip_whitespace=True,
        validate_default=False,
    )
