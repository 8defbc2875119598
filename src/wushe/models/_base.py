"""The one shared model configuration (模型基类)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict
from pydantic_core import SchemaValidator

from wushe.privacy import RedactingValidator, _audited_context, withheld_fields

if TYPE_CHECKING:
    from pydantic._internal._repr import ReprArgs

__all__ = ["WusheModel"]


def _redact_errors_of(model: type[BaseModel]) -> None:
    # Every construction path (__init__, model_validate*, a TypeAdapter over the model)
    # validates through the class's own validator, so wrapping it once covers them all.
    validator = model.__dict__.get("__pydantic_validator__")
    if isinstance(validator, SchemaValidator):
        model.__pydantic_validator__ = RedactingValidator(validator)  # type: ignore[assignment]


class WusheModel(BaseModel):
    """Base of every wushe boundary model (五社数据模型基类).

    Frozen, rejects unknown fields and documents fields from their attribute docstrings.
    Privacy is enforced here, once for every model:

    * validation errors hold no input value, on every construction path (``__init__``,
      ``model_validate``, ``model_validate_json``, ``model_validate_strings`` and a
      ``TypeAdapter`` over the model): see :func:`wushe.privacy.redact_validation_error`;
    * ``repr`` and ``str`` mask :class:`~wushe.privacy.Sensitive` values and
      :class:`~wushe.privacy.Withheld` fields, as the default dumps do;
    * a ``model_dump``/``model_dump_json`` with the :data:`~wushe.privacy.REVEAL` context is
      recorded through the audit hook once per call (:func:`wushe.privacy.set_audit_hook`).

    Copies (``model_copy``, ``copy.copy``, ``copy.deepcopy``) stay masked; pickling keeps
    raw values, like :func:`wushe.io.dump_dataset`.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        hide_input_in_errors=True,
        str_strip_whitespace=True,
        validate_default=False,
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        _redact_errors_of(cls)

    @classmethod
    def model_rebuild(cls, **kwargs: Any) -> bool | None:
        """Rebuild the model's schema, keeping its validation errors redacted (重建模型)."""
        # pydantic reads the caller's namespace this many frames up; this override is one more.
        kwargs["_parent_namespace_depth"] = kwargs.get("_parent_namespace_depth", 2) + 1
        rebuilt = super().model_rebuild(**kwargs)
        _redact_errors_of(cls)
        return rebuilt

    def __repr_args__(self) -> ReprArgs:
        withheld = withheld_fields(type(self))
        for name, value in super().__repr_args__():
            marker = withheld.get(name) if name is not None else None
            if marker is not None and value is not None:
                yield name, marker.mask(value)
            else:
                yield name, value

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """Dump the model, masked unless ``context`` reveals (模型导出).

        Takes pydantic's ``model_dump`` arguments. With a revealing ``context`` the reveal
        is recorded once through the audit hook.
        """
        kwargs["context"] = _audited_context(
            self, kwargs.get("context"), f"{type(self).__name__}.model_dump"
        )
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        """Dump the model as JSON, masked unless ``context`` reveals (模型导出为 JSON).

        Takes pydantic's ``model_dump_json`` arguments. With a revealing ``context`` the
        reveal is recorded once through the audit hook.
        """
        kwargs["context"] = _audited_context(
            self, kwargs.get("context"), f"{type(self).__name__}.model_dump_json"
        )
        return super().model_dump_json(**kwargs)
