"""Sensitive personal information, masked unless explicitly revealed (敏感个人信息保护).

Recipient records hold personal and sensitive information under the Personal Information
Protection Law (个人信息保护法, Art. 28: health, disability, minors, specific identity). wushe
wraps such values in :class:`Sensitive` subclasses, shaped like pydantic's ``SecretStr``:

* ``repr``, ``str``, f-strings and logs show a masked form (``张*华``, ``5101**********1234``);
* ``model_dump()`` and ``model_dump_json()`` write the masked form by default;
* the raw value comes back only through :meth:`Sensitive.reveal`, :func:`reveal`, or a dump
  with ``context=REVEAL`` (``{"reveal_sensitive": True}``), which is what
  :func:`wushe.io.dump_dataset` uses so that a dataset file stays lossless;
* validation errors never echo the input: every wushe model sets ``hide_input_in_errors``.

    >>> name = SensitiveName("张晓华")
    >>> name
    SensitiveName('张*华')
    >>> f"{name}"
    '张*华'
    >>> name.reveal()
    '张晓华'
    >>> mask_id_number("11010519491231002X")
    '1101**********002X'
"""

from __future__ import annotations

from typing import Any, ClassVar, Final, Generic, Self, TypeVar

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, SerializationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from wushe.codes import check_mobile_phone, check_resident_id

__all__ = [
    "REVEAL",
    "Sensitive",
    "SensitiveAddress",
    "SensitiveIdNumber",
    "SensitiveName",
    "SensitivePhone",
    "SensitiveText",
    "is_revealing",
    "mask_address",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_text",
    "reveal",
]

REVEAL: Final[dict[str, bool]] = {"reveal_sensitive": True}
"""Serialisation context that writes sensitive values in clear (显式披露).

Pass it as ``model.model_dump(context=REVEAL)``; use it only where the output is itself
protected (the dataset file that is the system of record).
"""

T = TypeVar("T")


def mask_name(name: str) -> str:
    """Mask a personal name, keeping the first and last character (姓名脱敏).

    ``张华`` → ``张*``; ``张晓华`` → ``张*华``; ``欧阳晓华`` → ``欧**华``.
    """
    name = name.strip()
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(value: str) -> str:
    """Mask an identity number, keeping the first four and last four characters (证件号脱敏)."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """Mask a phone number, keeping the first three and last four digits (手机号脱敏)."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_address(value: str) -> str:
    """Mask an address, keeping at most its first six characters (地址脱敏)."""
    keep = min(6, len(value) // 2)
    return value[:keep] + "****"


def mask_text(value: str) -> str:  # noqa: ARG001 - the signature is shared by all maskers
    """Mask free text such as health notes completely (敏感文本脱敏)."""
    return "******"


def is_revealing(info: SerializationInfo | None) -> bool:
    """Whether a serialisation was asked to reveal sensitive values (是否显式披露)."""
    context = info.context if info is not None else None
    return isinstance(context, dict) and bool(context.get("reveal_sensitive"))


class Sensitive(Generic[T]):
    """A sensitive value that masks itself everywhere except :meth:`reveal` (敏感信息).

    Subclasses fix the inner type, how it is validated and how it is masked. Two instances
    are equal when their raw values are equal, so models holding them compare and hash as
    usual.
    """

    __slots__ = ("_value",)

    _inner_type: ClassVar[Any] = str
    _sensitivity_reason: ClassVar[str] = "personal information"

    def __init__(self, value: T) -> None:
        self._value = self._check(value)

    @classmethod
    def _check(cls, value: T) -> T:
        return value

    @classmethod
    def _mask(cls, value: T) -> str:
        return mask_text(str(value))

    def reveal(self) -> T:
        """Return the raw value (显式取值). Keep the result out of logs and messages."""
        return self._value

    @property
    def masked(self) -> str:
        """The masked form shown in repr, str and default dumps (脱敏形式)."""
        return self._mask(self._value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked!r})"

    def __str__(self) -> str:
        return self.masked

    def __format__(self, format_spec: str) -> str:
        return format(self.masked, format_spec)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Sensitive)
            and type(other) is type(self)
            and other._value == self._value
        )

    def __hash__(self) -> int:
        return hash((type(self), self._value))

    def __reduce__(self) -> tuple[type[Self], tuple[T]]:
        return (type(self), (self._value,))

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        inner = handler.generate_schema(cls._inner_type)

        def wrap(value: Any) -> Sensitive[T]:
            return cls(value)

        def unwrap(value: Any) -> Any:
            return value._value if isinstance(value, cls) else value

        from_input = core_schema.no_info_after_validator_function(wrap, inner)
        return core_schema.json_or_python_schema(
            json_schema=from_input,
            python_schema=core_schema.no_info_before_validator_function(
                unwrap, from_input
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(
                cls._serialise, info_arg=True, when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema = handler.resolve_ref_schema(json_schema)
        json_schema["x-sensitive"] = cls._sensitivity_reason
        return json_schema

    @staticmethod
    def _serialise(value: Sensitive[Any], info: SerializationInfo) -> Any:
        if is_revealing(info):
            return value._value
        return value.masked


class SensitiveName(Sensitive[str]):
    """A person's name (姓名), masked as ``张*华``."""

    __slots__ = ()
    _sensitivity_reason = "personal name"

    @classmethod
    def _check(cls, value: str) -> str:
        value = value.strip()
        if not value:
            msg = "a name must not be empty"
            raise ValueError(msg)
        return value

    @classmethod
    def _mask(cls, value: str) -> str:
        return mask_name(value)


class SensitiveIdNumber(Sensitive[str]):
    """A resident ID number (公民身份号码), validated and masked as ``5101**********1234``."""

    __slots__ = ()
    _sensitivity_reason = "identity number"

    @classmethod
    def _check(cls, value: str) -> str:
        return check_resident_id(value)

    @classmethod
    def _mask(cls, value: str) -> str:
        return mask_id_number(value)


class SensitivePhone(Sensitive[str]):
    """A mainland mobile number (手机号码), validated and masked as ``138****1234``."""

    __slots__ = ()
    _sensitivity_reason = "phone number"

    @classmethod
    def _check(cls, value: str) -> str:
        return check_mobile_phone(value)

    @classmethod
    def _mask(cls, value: str) -> str:
        return mask_phone(value)


class SensitiveAddress(Sensitive[str]):
    """A home address (住址), masked after its first few characters."""

    __slots__ = ()
    _sensitivity_reason = "address"

    @classmethod
    def _mask(cls, value: str) -> str:
        return mask_address(value)


class SensitiveText(Sensitive[str]):
    """Free text about health, disability or family hardship (健康及困难情况), fully masked."""

    __slots__ = ()
    _sensitivity_reason = "health or hardship details"


def reveal(value: Sensitive[T]) -> T:
    """Return the raw value of a :class:`Sensitive` (显式取值)."""
    return value.reveal()
