"""Pair needs with the actors who can meet them (需求与服务力量匹配).

Placeholder: the matching API (``match``, ``build_candidates`` …) lands from the ``matching``
branch, which owns this file.
"""

__all__: list[str] = []
