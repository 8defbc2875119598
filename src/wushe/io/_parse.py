"""Bounded reading of JSON and YAML documents (受限解析).

Every loader of a JSON or YAML file goes through :func:`read_document`: it refuses files
that are too large, decodes UTF-8 (with or without a byte-order mark), rejects duplicate
keys, bounds what YAML aliases may expand to and turns every parser failure into a
:class:`DocumentProblem` whose message is short and never repeats the input.
"""

from __future__ import annotations

import codecs
import functools
import json as json_module
from pathlib import Path
from typing import Any

import numpy as np

from wushe._gc import paused_gc
from wushe.exceptions import LoadError, MissingDependencyError
from wushe.io._report import LoadIssue, LoadReport, clip

YAML_SUFFIXES = frozenset({".yaml", ".yml"})
MAX_JSON_BYTES = 256 * 2**20
"""Largest JSON document read: 256 MiB (JSON 文件上限)."""
MAX_YAML_BYTES = 16 * 2**20
"""Largest YAML document read: 16 MiB, about ten seconds of parsing (YAML 文件上限)."""
MAX_ALIAS_NODES = 100_000
"""How many nodes YAML aliases may add beyond those written in the file (别名展开上限)."""
MAX_DEPTH = 64
"""Deepest nesting of lists and objects read; wushe's own files nest under ten (嵌套上限)."""


class DocumentProblem(Exception):
    """Why a document could not be parsed: a reason code and a short message."""

    def __init__(self, message: str, *, code: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)

    def report(self, file: str) -> LoadReport:
        """The problem as a one-issue load report for ``file``."""
        issue = LoadIssue(
            file=file,
            collection="",
            row=None,
            record_id="",
            field="",
            code=self.code,
            message=self.message,
        )
        return LoadReport(file=file, issues=(issue,))

    def error(self, file: str) -> LoadError:
        """The problem as a :class:`~wushe.exceptions.LoadError` for ``file``."""
        return LoadError(self.report(file))


def yaml_module() -> Any:
    """PyYAML, or :class:`MissingDependencyError` naming the ``yaml`` extra."""
    try:
        import yaml  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError as exc:  # pragma: no cover - depends on the environment
        purpose = "Reading and writing YAML"
        raise MissingDependencyError("pyyaml", "yaml", purpose) from exc  # noqa: EM101 - the error composes its message
    return yaml


def read_utf8(path: Path, limit: int) -> bytes:
    """The file's bytes without a UTF-8 byte-order mark, not yet decoded.

    Raises:
        DocumentProblem: a missing file, a folder, a file over ``limit`` bytes.
    """
    try:
        if path.is_dir():
            msg = "this is a folder, not a file"
            raise DocumentProblem(msg, code="unreadable")
        size = path.stat().st_size
        if size > limit:
            msg = f"the file has {size:,} bytes; at most {limit:,} are read"
            raise DocumentProblem(msg, code="too_large")
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        msg = f"cannot read the file: {reason}"
        raise DocumentProblem(msg, code="unreadable") from None
    return data.removeprefix(codecs.BOM_UTF8)


def decode_utf8(data: bytes) -> str:
    """``data`` (without a byte-order mark) decoded as UTF-8.

    Raises:
        DocumentProblem: ``not_utf8``, naming the first invalid byte after the mark.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"the file is not UTF-8 text (byte {exc.start:,} is invalid)"
        raise DocumentProblem(msg, code="not_utf8") from None


_REFUSE: Any = object()


class Document:
    """A checked file: its data, and for JSON the UTF-8 bytes for pydantic's JSON mode.

    JSON is checked by a scan that keeps nothing (duplicate keys, depth) and parsed into
    Python data only when ``data`` is asked for, so a valid dataset goes from the file's
    bytes to models without a second copy in memory: no decoded text is kept, nor the
    UTF-8 copy that pydantic-core would make of it.
    """

    def __init__(self, *, json: bytes | None = None, data: Any = None) -> None:
        self.json = json
        self._data = data

    @functools.cached_property
    def data(self) -> Any:
        """The document as plain Python data."""
        if self.json is None:
            return self._data
        return json_module.loads(self.json.decode("utf-8"))


def read_document(path: Path, *, empty: Any = _REFUSE) -> Document:
    """Check a JSON or YAML file (by its suffix) and give its data.

    JSON keeps its bytes: validating them in pydantic's JSON mode is faster and needs no
    Python copy of the data, and JSON mode and Python mode differ on a few unions
    (``true`` for a number-or-boolean). An empty file (nothing but white space) is
    refused with code ``empty`` unless ``empty`` gives the data it stands for.

    Raises:
        DocumentProblem: for anything but a well-formed, bounded document.
        MissingDependencyError: for a YAML file without the ``yaml`` extra.
    """
    yaml = path.suffix.lower() in YAML_SUFFIXES and yaml_module()
    data = read_utf8(path, MAX_YAML_BYTES if yaml else MAX_JSON_BYTES)
    text = decode_utf8(data)
    if not text or text.isspace():  # strip() would copy a large file's text
        if empty is _REFUSE:
            msg = "the file is empty"
            raise DocumentProblem(msg, code="empty")
        return Document(data=empty)
    if yaml:
        parsed = parse_yaml(text, yaml)
        check_depth(parsed)
        return Document(data=parsed)
    scan_json(text, data)
    return Document(json=data)


def check_depth(data: Any, limit: int | None = None) -> None:
    """Refuse data nested deeper than ``limit`` (default :data:`MAX_DEPTH`) levels.

    Raises:
        DocumentProblem: ``too_deep``.
    """
    limit = MAX_DEPTH if limit is None else limit
    level = [data] if isinstance(data, dict | list) else []
    for _ in range(limit):
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, dict | list)
        ]
        if not level:
            return
    raise _too_deep(limit)


def _too_deep(limit: int) -> DocumentProblem:
    msg = f"lists or objects are nested too deeply (more than {limit} levels)"
    return DocumentProblem(msg, code="too_deep")


class _DuplicateKeyError(ValueError):
    pass


def _check_keys(pairs: list[tuple[str, Any]]) -> None:
    """The scan's object hook: refuse a repeated key, keep nothing."""
    if len(dict(pairs)) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)


# Every byte but the quote, the four brackets and the colon: what the byte count deletes.
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}:')


def json_depth(text: str | bytes) -> int:
    """How deeply the lists and objects of valid JSON ``text`` nest (嵌套深度).

    Counted over the bytes, not the parsed values (:func:`json_structure`).
    ``text`` must be valid JSON.
    """
    return json_structure(text)[0]


_CHUNK = 1 << 18
"""Structure bytes counted at a time: small arrays stay in the processor's cache."""


def json_structure(text: str | bytes) -> tuple[int, int]:
    """The nesting depth of valid JSON ``text`` and how many members its objects hold.

    Counted over the bytes (``text`` may be given as its UTF-8 bytes): escaped
    backslashes and quotes are dropped, then everything but quotes, brackets and colons,
    and a bracket or colon counts when an even number of quotes precede it (it is outside
    every string). Outside strings a colon separates a key from its value, so the colons
    count the members written, repeated keys included. UTF-8 never puts these ASCII bytes
    inside a multi-byte character. The bytes left are counted a slice at a time, carrying
    whether the slice starts inside a string and at what depth. ``text`` must be valid
    JSON.
    """
    data = text.encode() if isinstance(text, str) else text
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    kept = np.frombuffer(data.translate(None, _NOT_STRUCTURE), dtype=np.uint8)
    members = depth = level = 0
    inside = False  # whether the slice starts inside a string
    for start in range(0, len(kept), _CHUNK):
        part = kept[start : start + _CHUNK]
        quoted = np.logical_xor.accumulate(part == ord('"'))
        if inside:
            np.logical_not(quoted, out=quoted)
        inside = bool(quoted[-1])
        members += int(np.count_nonzero((part == ord(":")) & ~quoted))
        step = ((part == ord("[")) | (part == ord("{"))).view(np.int8) - (
            (part == ord("]")) | (part == ord("}"))
        ).view(np.int8)
        step[quoted] = 0
        levels = np.cumsum(step, dtype=np.int32)
        depth = max(depth, level + int(levels.max()))
        level += int(levels[-1])
    return depth, members


def scan_json(text: str, data: bytes | None = None) -> None:
    """Check JSON text without keeping it: syntax, duplicate keys and depth.

    One parse in C checks the syntax and keeps only each object's distinct keys: its
    ``object_hook`` is ``list.extend``, so no Python runs per object. The members written
    are counted over the bytes with the depth (:func:`json_structure`, over ``data``, the
    text's UTF-8 bytes, when given); fewer distinct keys than members means some object
    repeats a key. Only then, or when the parse fails, is the text parsed again with a
    Python hook per object (:func:`_scan_exactly`), whose error names the key and the
    reason.

    Raises:
        DocumentProblem: with code ``invalid_syntax``, ``duplicate_key`` or ``too_deep``.
    """
    keys: list[str] = []  # the distinct keys of every object, one entry each
    checked = False
    try:
        with paused_gc():  # the parse keeps no object, so no collection could free one
            json_module.loads(text, object_hook=keys.extend)
    except (ValueError, RecursionError):  # the exact scan says which problem
        _scan_exactly(text)
        checked = True
    depth, members = json_structure(text if data is None else data)
    if not checked and members != len(keys):
        _scan_exactly(text)
    if depth > MAX_DEPTH:
        raise _too_deep(MAX_DEPTH)


def _scan_exactly(text: str) -> None:
    """Parse with a hook per object; raise the first syntax error or repeated key.

    Raises:
        DocumentProblem: with code ``invalid_syntax``, ``duplicate_key`` or ``too_deep``.
    """
    try:
        with paused_gc():  # the parse keeps nothing, so no collection could free it
            json_module.loads(text, object_pairs_hook=_check_keys)
    except _DuplicateKeyError as exc:
        key = clip(exc.args[0])
        msg = f"the key {key!r} appears twice in one object; keep one of them"
        raise DocumentProblem(msg, code="duplicate_key") from None
    except json_module.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise DocumentProblem(msg, code="invalid_syntax") from None
    except RecursionError:
        raise _too_deep(MAX_DEPTH) from None
    except ValueError as exc:  # e.g. an integer with more than 4,300 digits
        msg = f"not valid JSON: {clip(exc)}"
        raise DocumentProblem(msg, code="invalid_syntax") from None


def parse_yaml(text: str, yaml: Any) -> Any:
    """Parse YAML text with the safe loader, bounding alias expansion.

    Raises:
        DocumentProblem: with code ``invalid_syntax``, ``too_many_aliases`` or
            ``too_deep``.
    """
    loader = _bounded_loader(yaml)(text)
    try:
        return loader.get_single_data()
    except DocumentProblem:
        raise
    except yaml.YAMLError as exc:
        msg = _yaml_message(exc)
        raise DocumentProblem(msg, code="invalid_syntax") from None
    except RecursionError:
        raise _too_deep(MAX_DEPTH) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a timestamp in year 0
        msg = f"not valid YAML: a value cannot be read ({clip(exc)})"
        raise DocumentProblem(msg, code="invalid_syntax") from None
    finally:
        loader.dispose()


def _yaml_message(exc: Any) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or exc.__class__.__name__
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
    return f"not valid YAML: {clip(problem, 160)}{where}"


_LOADERS: dict[int, type[Any]] = {}


def _bounded_loader(yaml: Any) -> type[Any]:
    """A safe loader class that checks the composed node graph before constructing."""
    cached = _LOADERS.get(id(yaml))
    if cached is not None:
        return cached
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class BoundedLoader(base):  # type: ignore[valid-type,misc]
        def get_single_data(self) -> Any:
            node = self.get_single_node()
            if node is None:
                return None
            check_expansion(node)
            return self.construct_document(node)

    _LOADERS[id(yaml)] = BoundedLoader
    return BoundedLoader


def check_expansion(root: Any, limit: int = MAX_ALIAS_NODES) -> None:
    """Refuse a YAML node graph whose aliases expand beyond ``limit`` extra nodes.

    Counts, without expanding anything, how many nodes the document would have once every
    alias is replaced by a copy of its anchor, and rejects cycles (an anchor holding an
    alias to itself).

    Raises:
        DocumentProblem: ``too_many_aliases`` or ``recursive_alias``.
    """
    size: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            active.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in children)
            if size[key] - len(size) > limit:
                raise _too_many(limit)
            continue
        if key in size:
            continue
        if key in active:
            msg = "an alias refers to the anchor that contains it"
            raise DocumentProblem(msg, code="recursive_alias")
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in size)
    if size[id(root)] - len(size) > limit:  # pragma: no cover - caught on the way up
        raise _too_many(limit)


def _too_many(limit: int) -> DocumentProblem:
    msg = f"aliases (*name) would add more than {limit:,} values to the document"
    return DocumentProblem(msg, code="too_many_aliases")


def _children(node: Any) -> list[Any]:
    value = node.value
    if isinstance(value, str):
        return []
    if value and isinstance(value[0], tuple):
        return [part for pair in value for part in pair]
    return list(value)
