"""Sensitive personal information, masked unless explicitly revealed (敏感个人信息保护).

Recipient records hold personal and sensitive information under the Personal Information
Protection Law (个人信息保护法, Art. 28: health, disability, minors, specific identity). The
threat model is in the documentation's *Privacy* explanation page; in short, anyone who reads
a default output (a log, a report, an export, a plan, the CLI, an exception) must not be able
to identify a resident or learn a sensitive fact about one. wushe therefore:

* wraps names, ID numbers, phones, addresses and health details in :class:`Sensitive`
  values, shaped like pydantic's ``SecretStr``: ``repr``, ``str``, f-strings, logs and the
  default ``model_dump()``/``model_dump_json()`` show a masked form (``张*华``,
  ``51***************0``, ``138****1234``);
* withholds per person, in the same outputs, the plain fields an attacker could combine
  with a masked ID: a birth date shows only its year (``1941-**-**``) and the civil-affairs
  groups (特困、低保、残疾…, special categories) are withheld (:class:`Withheld`);
* keeps the raw value for code: attribute access, the engines and pickling see it; output
  sees it only through :meth:`Sensitive.reveal`, :func:`reveal` or a dump with
  ``context=REVEAL`` (or :func:`reveal_context`), and every such reveal is recorded through
  one audit hook (:func:`set_audit_hook`; by default a line on the ``wushe.audit`` logger);
* strips the input from validation errors of every wushe model
  (:func:`redact_validation_error`): ``str(error)``, ``error.errors()``, ``error.json()``
  and a pickled error hold no raw value.

The masking rule is chosen so that an attacker holding every default output of a record,
the dataset's division codes and the ID number's check character is still left with at
least :data:`MIN_CANDIDATES` possible ID numbers (see :func:`mask_id_number`).

    >>> name = SensitiveName("张晓华")
    >>> name
    SensitiveName('张*华')
    >>> f"{name}"
    '张*华'
    >>> name.reveal(reason="doctest")
    '张晓华'
    >>> mask_id_number("11010519491231002X")
    '11***************X'
"""

from __future__ import annotations

import logging
import typing
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import repeat
from typing import (
    Annotated,
    Any,
    ClassVar,
    Final,
    Generic,
    Protocol,
    Self,
    TypeAlias,
    TypeVar,
)

import attrs
import numpy as np
from numpy.typing import NDArray
from pydantic import (
    BaseModel,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    SerializationInfo,
    TypeAdapter,
    ValidationError,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import (
    InitErrorDetails,
    PydanticCustomError,
    SchemaValidator,
    core_schema,
)

from wushe._renamed import renamed_keywords
from wushe._types import SORTED_IN_JSON
from wushe.codes import (
    check_mobile_phone,
    check_resident_id,
    mobile_phone_column,
    resident_id_columns,
)
from wushe.vocab import TargetGroup, explain_ambiguous

__all__ = [
    "MASK",
    "MIN_CANDIDATES",
    "REVEAL",
    "SPECIAL_CATEGORY",
    "AuditHook",
    "BirthDate",
    "RedactingTypeAdapter",
    "RedactingValidator",
    "RevealEvent",
    "Sensitive",
    "SensitiveAddress",
    "SensitiveIdNumber",
    "SensitiveName",
    "SensitivePhone",
    "SensitiveText",
    "SpecialCategories",
    "Withheld",
    "audit_hook",
    "audit_reveal",
    "is_revealing",
    "mask_address",
    "mask_birth_date",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_text",
    "redact_validation_error",
    "reveal",
    "reveal_context",
    "set_audit_hook",
    "withhold",
]

REVEAL: Final[dict[str, bool]] = {"reveal_sensitive": True}
"""Serialisation context that writes sensitive values in clear (显式披露).

Pass it as ``model.model_dump(context=REVEAL)``; use it only where the output is itself
protected (the dataset file that is the system of record). The dump is recorded through the
audit hook with the reason ``"unspecified"``; :func:`reveal_context` names the reason.
"""

MASK: Final = "******"
"""What a fully masked or withheld value shows (完全脱敏)."""

MIN_CANDIDATES: Final = 1000
"""The re-identification bound (重识别下限): default outputs leave at least this many IDs.

An attacker who holds every default output of one record (masked ID, birth year, gender,
community and its division code, every other field) and checks the ID's MOD 11-2 character
must still face at least this many valid ID numbers; the masking rule leaves about 16,500
for a birth year. A thousand keeps the bound above k-anonymity's usual 5-10 even if some
other channel narrowed the birth date to a month (about 1,400 remain) and leaves about 45
should the exact date leak.
"""

_AUDITED: Final = "wushe_reveal_audited"
_REASON: Final = "reveal_reason"
_UNSPECIFIED: Final = "unspecified"

T = TypeVar("T")


# --- masking rules ----------------------------------------------------------------------

# Letters that render as nothing (Hangul fillers) count as separators, not as characters.
_INVISIBLE_LETTERS: Final = frozenset("\u115f\u1160\u3164\uffa0")


def _visible_characters(text: str) -> list[str]:
    r"""Letters and digits of ``text`` after NFKC, without separators or format characters.

    Spaces (including the ideographic space U+3000), middle dots, zero-width and other format
    characters, combining marks, variation selectors and symbols all drop out, so that
    ``张　三``, ``张·三`` and ``张\u200b三`` are the two-character name they read as. Private-use
    and unassigned code points stay: rosters encode rare characters (生僻字) there.
    """
    kept = []
    for char in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(char)
        if char in _INVISIBLE_LETTERS:
            continue
        if category[0] in "LN" or category in ("Co", "Cn"):
            kept.append(char)
    return kept


def _has_visible_character(text: str) -> bool:
    """Whether :func:`_visible_characters` would keep anything, stopping at the first one."""
    first = text[:1]
    if (first.isascii() and first.isalnum()) or "\u4e00" <= first <= "\u9fff":
        # NFKC leaves an ASCII letter or digit one (composed with any mark that follows)
        # and has no mapping for a CJK unified ideograph: the first character is visible.
        return True
    for char in unicodedata.normalize("NFKC", text):
        if char in _INVISIBLE_LETTERS:
            continue
        category = unicodedata.category(char)
        if category[0] in "LN" or category in ("Co", "Cn"):
            return True
    return False


def mask_name(name: str) -> str:
    """Mask a personal name, keeping the first and last character (姓名脱敏).

    ``张华`` → ``张*``; ``张晓华`` → ``张*华``; ``欧阳晓华`` → ``欧**华``. Separators, zero-width
    and format characters are dropped first (``张　三`` → ``张*``), so a two-character name
    never shows whole.
    """
    chars = _visible_characters(name)
    if len(chars) <= 1:
        return "*"
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]


def mask_id_number(value: str) -> str:
    """Mask an identity number, keeping the first two and the last character (证件号脱敏).

    The first two digits name the province, which the community already tells; the last is
    the MOD 11-2 check character. The address code, birth date and sequence number are all
    hidden: with the birth year and gender shown beside it and the county guessed from the
    community, about 365 x 500 / 11 ≈ 16,500 valid numbers remain (:data:`MIN_CANDIDATES`).

    Examples:
        >>> mask_id_number("510106194103150220")
        '51***************0'
    """
    if len(value) <= 8:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 3) + value[-1]


def mask_phone(value: str) -> str:
    """Mask a phone number, keeping the first three and last four digits (手机号脱敏).

    Four hidden digits leave 10,000 candidates, above :data:`MIN_CANDIDATES`.
    """
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


_DIVISION_ENDINGS: Final = frozenset("省市区县旗州盟")
_NOT_A_DIVISION: Final = (
    "小区",
    "社区",
    "园区",
    "校区",
    "街区",
    "景区",
    "厂区",
    "营区",
)


def mask_address(value: str) -> str:
    """Mask an address down to its leading division names (地址脱敏).

    Keeps the longest prefix of at most twelve characters that ends a province, city,
    district, county or banner name (省、市、区、县、旗、州、盟), never a housing estate
    (小区) or similar; everything after it is hidden. ``重庆市渝中区七星岗街道兴隆街8号`` →
    ``重庆市渝中区****``; ``兴隆街8号`` → ``****``.
    """
    text = "".join(_visible_characters(value))
    keep = 0
    for end in range(1, min(12, len(text)) + 1):
        prefix = text[:end]
        if prefix[-1] not in _DIVISION_ENDINGS or prefix.endswith(_NOT_A_DIVISION):
            continue
        if prefix[-1] == "市" and text[end : end + 1] == "场":
            continue  # 市场, a market, is not a city
        keep = end
    return text[:keep] + "****"


def mask_text(value: object) -> str:  # noqa: ARG001 - the signature is shared by all maskers
    """Mask free text such as health notes completely (敏感文本脱敏)."""
    return MASK


def mask_birth_date(value: date) -> str:
    """Coarsen a birth date to its year (出生日期脱敏): ``1941-03-15`` → ``1941-**-**``."""
    return f"{value.year:04d}-**-**"


def withhold(value: object) -> str:  # noqa: ARG001 - the signature is shared by all maskers
    """Withhold a per-person value entirely, e.g. the civil-affairs groups (逐人隐藏)."""
    return MASK


# --- the audit trail --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RevealEvent:
    """One reveal of personal data, as the audit hook receives it (披露审计事件).

    It names what kinds of value were revealed and how many records held them, never a
    value itself.
    """

    via: str
    """The path that revealed, e.g. ``"Sensitive.reveal"``, ``"Recipient.model_dump"``,
    ``"dump_dataset"`` or ``"export_ledgers"`` (披露途径)."""
    reason: str
    """Why, as the caller stated it; ``"unspecified"`` when not given (披露事由)."""
    kinds: tuple[str, ...]
    """Kinds of value revealed, sorted: ``"personal name"``, ``"identity number"``,
    ``"birth date"``, ``"special category"`` … (披露字段类别)."""
    records: int
    """How many records held a revealed value (记录数)."""

    if not typing.TYPE_CHECKING:  # keep attribute typos visible to type checkers

        def __getattr__(self, name: str) -> Any:
            # A renamed field says what to read instead of a bare AttributeError.
            if name == "purpose":
                msg = "RevealEvent.purpose was renamed to RevealEvent.reason"
                raise AttributeError(msg)
            raise AttributeError(name)


class AuditHook(Protocol):
    """A callable that records a :class:`RevealEvent` (审计钩子)."""

    def __call__(self, event: RevealEvent, /) -> None:
        """Record ``event``; raise to stop the reveal (记录披露)."""


_audit_logger = logging.getLogger("wushe.audit")


def _log_reveal(event: RevealEvent) -> None:
    _audit_logger.info(
        "reveal via %s: %s in %d record(s); reason: %s",
        event.via,
        ", ".join(event.kinds),
        event.records,
        event.reason,
    )


_hook: AuditHook = _log_reveal


def set_audit_hook(hook: AuditHook | None) -> AuditHook:
    """Install the hook every reveal goes through; return the previous one (设置审计钩子).

    ``None`` restores the default, which writes one ``INFO`` line per reveal to
    ``logging.getLogger("wushe.audit")``: the path, the kinds of value, the number of
    records and the reason, never a value. A hook that raises stops the reveal.
    """
    global _hook  # noqa: PLW0603 - one process-wide hook, like sys.audit's
    previous = _hook
    _hook = _log_reveal if hook is None else hook
    return previous


@contextmanager
def audit_hook(hook: AuditHook | None) -> Iterator[None]:
    """Use ``hook`` for reveals inside a ``with`` block (临时审计钩子).

    >>> events = []
    >>> with audit_hook(events.append):
    ...     _ = SensitiveName("张晓华").reveal(reason="doctest")
    >>> events[0].kinds, events[0].reason
    (('personal name',), 'doctest')
    """
    previous = set_audit_hook(hook)
    try:
        yield
    finally:
        set_audit_hook(previous)


def _record(via: str, reason: str, kinds: set[str], records: int) -> None:
    if records:
        _hook(
            RevealEvent(
                via=via, reason=reason, kinds=tuple(sorted(kinds)), records=records
            )
        )


@renamed_keywords(purpose="reason")
def reveal_context(reason: str) -> dict[str, Any]:
    """Build a serialisation context that reveals, naming why (带事由的显式披露).

    ``model.model_dump(context=reveal_context("transfer to the street office"))`` writes
    values in clear like :data:`REVEAL` and records the reason with the reveal. Keep
    personal data out of ``reason``: it is logged.
    """
    return {**REVEAL, _REASON: reason}


def is_revealing(info: SerializationInfo | None) -> bool:
    """Whether a serialisation was asked to reveal sensitive values (是否显式披露)."""
    context = info.context if info is not None else None
    return isinstance(context, dict) and bool(context.get("reveal_sensitive"))


def _reason_of(context: Mapping[str, Any]) -> str:
    return str(context.get(_REASON) or _UNSPECIFIED)


@renamed_keywords(purpose="reason")
def audit_reveal(
    content: object, *, via: str, reason: str | None = None, context: Any = None
) -> dict[str, Any]:
    """Record one reveal of everything sensitive in ``content``; return the context to dump with (披露登记).

    ``content`` is a model, a collection of models or a :class:`Sensitive`; the event counts
    the records in it that hold a revealed value and the kinds of those values. Dumping
    with the returned context writes values in clear without recording each record again,
    so an export of 2,000 records is one audit event, not 2,000.

    Args:
        content: What is about to be revealed.
        via: The path revealing it, e.g. ``"export_ledgers"``.
        reason: Why; defaults to the reason in ``context``, then ``"unspecified"``.
        context: A revealing context to extend (default :data:`REVEAL`).
    """
    base = dict(context) if isinstance(context, Mapping) else dict(REVEAL)
    base["reveal_sensitive"] = True
    if reason is not None:
        base[_REASON] = reason
    kinds: set[str] = set()
    records = _census(content, kinds)
    _record(via, _reason_of(base), kinds, records)
    base[_AUDITED] = True
    return base


def _audited_context(content: BaseModel, context: Any, via: str) -> Any:
    """The context a wushe model dumps with: audited once when it reveals."""
    if not isinstance(context, Mapping) or not context.get("reveal_sensitive"):
        return context
    if context.get(_AUDITED):
        return context
    return audit_reveal(content, via=via, context=context)


def _serialiser_reveals(kind: str, info: SerializationInfo) -> bool:
    """Whether to write a value in clear; records it when no model dump audited it."""
    if not is_revealing(info):
        return False
    context = info.context if isinstance(info.context, dict) else {}
    if not context.get(_AUDITED):
        # A TypeAdapter or foreign model dumping wushe values: record each value.
        _record("serialiser", _reason_of(context), {kind}, 1)
    return True


# --- what a record holds ----------------------------------------------------------------


def _annotation_parts(annotation: Any) -> Iterator[Any]:
    yield annotation
    metadata = getattr(annotation, "__metadata__", ())
    yield from metadata
    for arg in typing.get_args(annotation):
        if arg is not annotation:
            yield from _annotation_parts(arg)


@cache
def withheld_fields(model: type[BaseModel]) -> dict[str, Withheld]:
    """Fields of ``model`` marked :class:`Withheld`, by name (逐人隐藏字段)."""
    found: dict[str, Withheld] = {}
    for name, field in model.model_fields.items():
        for part in (*field.metadata, *_annotation_parts(field.annotation)):
            if isinstance(part, Withheld):
                found[name] = part
    return found


@cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fields that may hold something sensitive, and those holding nested models."""
    own: list[str] = list(withheld_fields(model))
    nested: list[str] = []
    for name, field in model.model_fields.items():
        for part in _annotation_parts(field.annotation):
            if isinstance(part, type) and issubclass(part, Sensitive):
                own.append(name)
                break
            if (
                isinstance(part, type)
                and issubclass(part, BaseModel)
                and part is not model
                and any(_plan(part))
            ):
                nested.append(name)
                break
    return tuple(dict.fromkeys(own)), tuple(nested)


def _census(content: object, kinds: set[str]) -> int:
    """Count the records in ``content`` holding a sensitive value; collect their kinds.

    A model with sensitive fields of its own is one record, with whatever it nests; a
    model without (a dataset, a list) counts the records inside it.
    """
    if isinstance(content, Sensitive):
        kinds.add(content.kind)
        return 1
    if isinstance(content, BaseModel):
        own, nested = _plan(type(content))
        withheld = withheld_fields(type(content))
        held = False
        for name in own:
            value = getattr(content, name, None)
            if value is None or value == frozenset():
                continue
            held = True
            if name in withheld:
                kinds.add(withheld[name].kind)
            else:
                _census(value, kinds)  # a Sensitive, or a collection of them
        inner = sum(_census(getattr(content, n), kinds) for n in nested)
        # A personal record counts once, whatever it nests (a consent's note, say); a
        # container of records counts the records inside it.
        return int(held or inner > 0) if own else inner
    if isinstance(content, tuple | list | set | frozenset):
        return sum(_census(item, kinds) for item in content)
    if isinstance(content, Mapping):
        return sum(_census(item, kinds) for item in content.values())
    return 0


# --- sensitive values -------------------------------------------------------------------


class Sensitive(Generic[T]):
    """A sensitive value that masks itself everywhere except :meth:`reveal` (敏感信息).

    Subclasses fix the inner type, how it is validated and how it is masked. Two instances
    are equal when their raw values are equal, so models holding them compare and hash as
    usual. Copies (``copy.copy``, ``deepcopy``, ``model_copy``) stay masked; pickling keeps
    the raw value, as the dataset file does.
    """

    __slots__ = ("_value",)

    _inner_type: ClassVar[Any] = str
    _sensitivity_reason: ClassVar[str] = "personal information"
    _checks_columns: ClassVar[bool] = False  # whether ``_check_column`` is defined

    def __init__(self, value: T) -> None:
        self._value = self._check(value)

    @classmethod
    def _check(cls, value: T) -> T:
        return value

    @classmethod
    def _check_column(cls, values: list[T]) -> NDArray[np.bool_]:
        """Which values ``_check`` accepts and returns unchanged, decided at once (逐列校验).

        ``False`` means "ask ``_check``". A subclass that defines this and sets
        ``_checks_columns`` is checked column by column inside a :class:`ColumnChecks`
        block.
        """
        raise NotImplementedError

    @classmethod
    def _mask(cls, value: T) -> str:
        return mask_text(value)

    @property
    def kind(self) -> str:
        """What kind of personal information this is, as audit events name it (信息类别)."""
        return self._sensitivity_reason

    @renamed_keywords(purpose="reason")
    def reveal(self, *, reason: str = _UNSPECIFIED) -> T:
        """Return the raw value and record the reveal with ``reason`` (显式取值).

        Keep the result out of logs and messages, and personal data out of ``reason``.
        """
        _record("Sensitive.reveal", reason, {self.kind}, 1)
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
        # Validation builds one wrapper per value: skip ``__init__``'s extra frame but run the
        # same ``_check``, so a loaded value is checked exactly as ``cls(value)`` checks it.
        check, new, store = cls._check, object.__new__, _STORE_VALUE

        def wrap(value: Any) -> Sensitive[T]:
            wrapped = new(cls)
            store(wrapped, check(value))
            return wrapped

        def unwrap(value: Any) -> Any:
            return value._value if isinstance(value, cls) else value

        if not cls._checks_columns:
            from_input = core_schema.no_info_after_validator_function(wrap, inner)
        else:
            from_input = core_schema.no_info_after_validator_function(
                _wrap_later(cls, wrap), inner
            )
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
        if _serialiser_reveals(value.kind, info):
            return value._value
        return value.masked


_STORE_VALUE: Final[Callable[[Any, Any], None]] = Sensitive.__dict__["_value"].__set__


def wrap_column(
    cls: type[Sensitive[T]], values: list[Any], cleared: NDArray[np.bool_] | None = None
) -> list[Sensitive[T]]:
    """Wrap many raw values at once, each checked exactly as ``cls(value)`` checks it (逐列包装).

    A value the class's column check clears (``cleared``, when it was already worked
    out) is stored as it is; every other value goes through ``cls._check``, which
    normalises it or raises its error. The wrappers are made and filled by loops in C,
    with no Python call per value.

    Raises:
        ValueError: the error of the first value that ``_check`` rejects.
    """
    if cls._checks_columns:
        if cleared is None:
            cleared = np.asarray(cls._check_column(values), dtype=bool)
        checked = values
        for index in np.flatnonzero(~cleared).tolist():
            if checked is values:
                checked = list(values)
            checked[index] = cls._check(values[index])
    else:
        checked = list(map(cls._check, values))
    wrapped: list[Sensitive[T]] = list(map(object.__new__, repeat(cls, len(values))))
    deque(map(_STORE_VALUE, wrapped, checked), maxlen=0)
    return wrapped


class ColumnChecks:
    """Checks left for one pass over whole columns once parsing is done (逐列校验).

    While a ``with ColumnChecks() as later:`` block is open, sensitive values whose class
    checks columns are stored unchecked and listed here, as are records whose model
    validator defers (:class:`~wushe.models.Recipient`); :meth:`finish` must then run before
    anything reads them, and is the last thing deferred in the block. Outside such a block
    every value is checked alone, as always. The switch is a context variable, so other
    threads and tasks are not affected.
    """

    __slots__ = ("_token", "records", "values")

    def __init__(self) -> None:
        self.values: defaultdict[type[Sensitive[Any]], list[Any]] = defaultdict(list)
        self.records: list[Any] = []
        self._token: Token[ColumnChecks | None] | None = None

    def __enter__(self) -> Self:
        self._token = _LATER.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _LATER.reset(self._token)

    @staticmethod
    def active() -> ColumnChecks | None:
        """The pass that values validated now defer to, if any (当前逐列校验)."""
        return _LATER.get()

    def finish(self) -> list[Any]:
        """Stop deferring and check the deferred sensitive values column by column (校验敏感值).

        Returns the deferred records, for their own model's columns.

        Raises:
            ValueError: the error of the first value that ``_check`` rejects, as checking
                it alone raises.
        """
        # Whatever validation the records' own checks start is checked alone.
        _LATER.set(None)
        by_class, self.values = self.values, defaultdict(list)
        for cls, pairs in by_class.items():
            # Wrapper and raw value alternate, as listed while parsing: reading the raw
            # values back from a million wrappers would cost a cache miss each.
            column, raw = pairs[0::2], pairs[1::2]
            cleared = np.asarray(cls._check_column(raw), dtype=bool)
            for index in np.flatnonzero(~cleared).tolist():
                _STORE_VALUE(column[index], cls._check(raw[index]))
        records, self.records = self.records, []
        return records


_LATER: Final[ContextVar[ColumnChecks | None]] = ContextVar(
    "wushe_column_checks", default=None
)


def _wrap_later(
    cls: type[Sensitive[T]], wrap: Callable[[Any], Sensitive[T]]
) -> Callable[[Any], Sensitive[T]]:
    new, store, active = object.__new__, _STORE_VALUE, _LATER.get

    def wrap_later(value: Any) -> Sensitive[T]:
        later = active()
        if later is None:
            return wrap(value)
        wrapped = new(cls)
        store(wrapped, value)
        pairs = later.values[cls]
        pairs.append(wrapped)
        pairs.append(value)
        return wrapped

    return wrap_later


def _unaudited(value: Sensitive[T]) -> T:
    """The raw value for wushe's own validators and engines: a computation, not an output."""
    return value._value


_WHITESPACE: Final = np.array(
    [c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32
)
_ASCII_ALNUM: Final = np.array([chr(c).isalnum() for c in range(128)] + [False])


def _names_column(values: list[str]) -> NDArray[np.bool_]:
    """Which names ``SensitiveName._check`` returns unchanged, decided at once.

    Those that start with a CJK ideograph or an ASCII letter or digit (visible, so
    :func:`_has_visible_character` holds) and end in no white space (so stripping keeps
    them).
    """
    n = len(values)
    text = np.array(values, dtype=str)
    width = text.dtype.itemsize // 4
    if n == 0 or width == 0:
        return np.zeros(n, dtype=bool)
    points = text.view(np.uint32).reshape(n, width)
    lengths = np.char.str_len(text)
    first = points[:, 0]
    # numpy drops trailing NULs: the last character it sees may then be a space before
    # them, which only sends the name to ``_check``.
    last = points[np.arange(n), np.maximum(lengths - 1, 0)]
    visible = ((first >= 0x4E00) & (first <= 0x9FFF)) | _ASCII_ALNUM[
        np.minimum(first, 128)
    ]
    ok: NDArray[np.bool_] = (lengths > 0) & visible & ~np.isin(last, _WHITESPACE)
    return ok


class SensitiveName(Sensitive[str]):
    """A person's name (姓名), masked as ``张*华``."""

    __slots__ = ()
    _sensitivity_reason = "personal name"
    _checks_columns = True

    @classmethod
    def _check(cls, value: str) -> str:
        value = value.strip()
        if not _has_visible_character(value):
            msg = "a name must hold at least one letter"
            raise ValueError(msg)
        return value

    @classmethod
    def _check_column(cls, values: list[str]) -> NDArray[np.bool_]:
        return _names_column(values)

    @classmethod
    def _mask(cls, value: str) -> str:
        return mask_name(value)


class SensitiveIdNumber(Sensitive[str]):
    """A resident ID number (公民身份号码), validated and masked as ``51***************4``."""

    __slots__ = ()
    _sensitivity_reason = "identity number"
    _checks_columns = True

    @classmethod
    def _check(cls, value: str) -> str:
        return check_resident_id(value)

    @classmethod
    def _check_column(cls, values: list[str]) -> NDArray[np.bool_]:
        return resident_id_columns(values, date.today())[0]

    @classmethod
    def _mask(cls, value: str) -> str:
        return mask_id_number(value)


class SensitivePhone(Sensitive[str]):
    """A mainland mobile number (手机号码), validated and masked as ``138****1234``."""

    __slots__ = ()
    _sensitivity_reason = "phone number"
    _checks_columns = True

    @classmethod
    def _check(cls, value: str) -> str:
        return check_mobile_phone(value)

    @classmethod
    def _check_column(cls, values: list[str]) -> NDArray[np.bool_]:
        return mobile_phone_column(values)

    @classmethod
    def _mask(cls, value: str) -> str:
        return mask_phone(value)


class SensitiveAddress(Sensitive[str]):
    """A home address (住址), masked down to its district (``重庆市渝中区****``)."""

    __slots__ = ()
    _sensitivity_reason = "address"

    @classmethod
    def _mask(cls, value: str) -> str:
        return mask_address(value)


class SensitiveText(Sensitive[str]):
    """Free text about health, disability or family hardship (健康及困难情况), fully masked."""

    __slots__ = ()
    _sensitivity_reason = "health or hardship details"


@renamed_keywords(purpose="reason")
def reveal(value: Sensitive[T], *, reason: str = _UNSPECIFIED) -> T:
    """Return the raw value of a :class:`Sensitive` and record the reveal (显式取值)."""
    return value.reveal(reason=reason)


# --- plain fields withheld per person ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Withheld:
    """Withhold a plain field per person in default outputs (逐人隐藏标记).

    Put it in a field's ``Annotated`` metadata. The field keeps its real type for code and
    engines, but ``repr``, ``str`` and a dump without :data:`REVEAL` show ``mask(value)``
    instead, and a revealing dump is recorded as revealing ``kind``.
    On a :class:`wushe.models.WusheModel` the ``repr`` is masked too.

    Examples:
        >>> from pydantic import BaseModel
        >>> class Person(BaseModel):
        ...     born: BirthDate
        >>> Person(born=date(1941, 3, 15)).model_dump()
        {'born': '1941-**-**'}
    """

    kind: str
    """The kind of information, as audit events name it (信息类别)."""
    mask: Callable[[Any], str]
    """What default outputs show instead of the value (脱敏函数)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = dict(handler(source))
        schema["serialization"] = core_schema.plain_serializer_function_ser_schema(
            self._serialise, info_arg=True, when_used="always"
        )
        return typing.cast("core_schema.CoreSchema", schema)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler.resolve_ref_schema(handler(schema))
        json_schema["x-sensitive"] = self.kind
        return json_schema

    def _serialise(self, value: Any, info: SerializationInfo) -> Any:
        if _serialiser_reveals(self.kind, info):
            return value
        return self.mask(value)


BirthDate: TypeAlias = Annotated[date, Withheld("birth date", mask_birth_date)]
"""A date of birth, shown as its year unless revealed (出生日期)."""

SPECIAL_CATEGORY: Final = Withheld("special category", withhold)
"""The marker for a special category withheld per person (特殊类别逐人隐藏).

Put it in the ``Annotated`` metadata of any field that says a person's or a household's
assistance status, disability or health, e.g. ``Household.statuses``.
"""

SpecialCategories: TypeAlias = Annotated[
    frozenset[TargetGroup], SPECIAL_CATEGORY, SORTED_IN_JSON
]
"""A person's civil-affairs groups, withheld per person unless revealed (对象类别).

特困、低保、残疾、孤儿… are sensitive personal information (PIPL Art. 28): one person's
groups show as ``******``; counts over many people stay exact.
"""


# --- validation errors ------------------------------------------------------------------

_KNOWN_ERROR_TYPES: Final = frozenset(typing.get_args(core_schema.ErrorType))


def _safe_context(context: Mapping[str, Any]) -> dict[str, Any]:
    safe: dict[str, Any] = {}
    for key, value in context.items():
        if isinstance(value, BaseException):
            # A fresh exception: the original's traceback holds the validator's locals.
            safe[key] = ValueError(str(value))
        elif key == "tag":
            safe[key] = MASK
        else:
            safe[key] = value
    return safe


def redact_validation_error(error: ValidationError) -> ValidationError:
    """Return ``error`` without any input value in it (校验错误脱敏).

    Every line keeps its type, location and message; its ``input`` becomes ``"******"``
    and exceptions in its ``ctx`` become plain ``ValueError`` messages, so ``errors()``,
    ``json()``, ``str()`` and a pickled copy are as safe as each other. Every wushe model
    applies it on every construction path through :class:`RedactingValidator`, and so
    does :class:`RedactingTypeAdapter`.

    One input is kept: a bare vocabulary label that names several members (``宣传``,
    ``社工站``), which :func:`wushe.vocab.explain_ambiguous` turns into the full names to
    choose from. It is a registered word, never personal data.
    """
    lines: list[InitErrorDetails] = []
    for line in error.errors(include_url=False):
        context = _safe_context(line.get("ctx", {}))
        kind: str | PydanticCustomError = line["type"]
        if kind not in _KNOWN_ERROR_TYPES:
            kind = PydanticCustomError(line["type"], line["msg"].replace("{", "{{"))
            context = {}
        shown = MASK
        if kind == "enum" and explain_ambiguous(
            line["input"], str(context.get("expected", ""))
        ):
            shown = line["input"]
        detail = InitErrorDetails(type=kind, loc=line["loc"], input=shown)
        if context:
            detail["ctx"] = context
        lines.append(detail)
    return ValidationError.from_exception_data(error.title, lines, hide_input=True)


def _redacting(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return call(*args, **kwargs)
    except ValidationError as error:
        redacted = redact_validation_error(error)
    # Raised outside the handler, so it carries no __context__ pointing at the raw error.
    raise redacted


class RedactingValidator:
    """A pydantic-core validator whose errors hold no input (脱敏校验器).

    Every :class:`wushe.models.WusheModel` validates through one, so ``__init__``,
    ``model_validate``, ``model_validate_json``, ``model_validate_strings`` and a
    ``TypeAdapter`` over the model all raise redacted errors. ``validator`` is the wrapped
    pydantic-core validator; everything but the three ``validate_*`` methods is its.
    """

    __slots__ = ("validator",)

    def __init__(self, validator: SchemaValidator) -> None:
        self.validator = validator

    def validate_python(self, value: Any, /, **kwargs: Any) -> Any:
        """Validate a Python object (校验 Python 对象)."""
        return _redacting(self.validator.validate_python, value, **kwargs)

    def validate_json(self, data: str | bytes | bytearray, /, **kwargs: Any) -> Any:
        """Validate a JSON document (校验 JSON)."""
        return _redacting(self.validator.validate_json, data, **kwargs)

    def validate_strings(self, value: Any, /, **kwargs: Any) -> Any:
        """Validate string data (校验字符串数据)."""
        return _redacting(self.validator.validate_strings, value, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.validator, name)


class RedactingTypeAdapter(Generic[T]):
    """A pydantic ``TypeAdapter`` whose validation errors hold no input (脱敏类型适配器).

    wushe's loaders validate through it. A ``TypeAdapter`` over one wushe model is already
    safe (it uses the model's own validator), but one over ``list[Recipient]`` puts the raw
    records in its error's ``errors()``: use this one instead. ``adapter`` is the plain
    ``TypeAdapter`` for everything else (JSON Schema, dumps).
    """

    __slots__ = ("adapter",)

    def __init__(self, type_: Any) -> None:
        self.adapter: TypeAdapter[T] = TypeAdapter(type_)

    def validate_python(self, value: Any, /, **kwargs: Any) -> T:
        """Validate a Python object (校验 Python 对象)."""
        return _redacting(self.adapter.validate_python, value, **kwargs)

    def validate_json(self, data: str | bytes | bytearray, /, **kwargs: Any) -> T:
        """Validate a JSON document (校验 JSON)."""
        return _redacting(self.adapter.validate_json, data, **kwargs)

    def validate_strings(self, value: Any, /, **kwargs: Any) -> T:
        """Validate string data (校验字符串数据)."""
        return _redacting(self.adapter.validate_strings, value, **kwargs)
