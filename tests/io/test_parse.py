"""Every JSON/YAML loader fails with a short LoadError, in bounded time and memory."""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wushe import examples
from wushe.exceptions import LoadError, RubricError, WusheError
from wushe.io import (
    _parse,
    _report,
    load_dataset,
    load_policy,
    load_report,
    load_rubric,
    load_score_sheets,
    load_visit_log,
)

DATA = examples.path("jinniu").parent
LOADERS: dict[str, Callable[[Path], Any]] = {
    "dataset": load_dataset,
    "visit_log": load_visit_log,
    "rubric": load_rubric,
    "score_sheets": load_score_sheets,
    "policy": load_policy,
}
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def codes(error: LoadError) -> set[str]:
    return {issue.code for issue in error.report.issues}


@pytest.mark.parametrize("loader", LOADERS.values(), ids=LOADERS)
def test_missing_file_and_folder_raise_load_error_naming_the_file(tmp_path, loader):
    for path in (tmp_path / "absent.json", tmp_path):
        with pytest.raises(LoadError) as info:
            loader(path)
        assert codes(info.value) == {"unreadable"}
        assert str(path) in str(info.value)


BAD_FILES = {
    "bad_utf8.json": (b'{"a": "\xff\xfe"}', "not_utf8"),
    "truncated.json": (b'{"visits": [{"visit_id": ', "invalid_syntax"),
    "bad.yaml": (b"visits: [unclosed\n", "invalid_syntax"),
    "tab.yaml": (b"a:\n\t- b\n", "invalid_syntax"),
    "python.yaml": (b"!!python/object:os.system {}\n", "invalid_syntax"),
    "apply.yaml": (b"!!python/object/apply:os.system ['true']\n", "invalid_syntax"),
    "duplicate.json": (b'{"name": "a", "name": "b"}', "duplicate_key"),
    "huge_int.json": (b"[" + b"9" * 5000 + b"]", "invalid_syntax"),
    "laughs.yaml": (LAUGHS.encode(), "too_many_aliases"),
    "loop.yaml": (b"a: &a [*a]\n", "recursive_alias"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
    "deeper_than_pydantic.json": (b"[" * 250 + b"]" * 250, "too_deep"),
    "deep_objects.yaml": (b"{a: " * 100 + b"1" + b"}" * 100, "too_deep"),
    "deep.yaml": (b"[" * 100_000 + b"]" * 100_000, "invalid_syntax"),
}


@pytest.mark.parametrize("name", BAD_FILES)
@pytest.mark.parametrize("loader", LOADERS.values(), ids=LOADERS)
def test_malformed_files_raise_one_short_issue_quickly(tmp_path, loader, name):
    content, code = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(LoadError) as info:
            loader(path)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - started < 6
    assert peak < 64 * 2**20
    assert codes(info.value) == {code}
    assert len(str(info.value)) < 600


def test_yaml_bomb_of_432_bytes_is_refused_before_it_expands(tmp_path):
    assert len(LAUGHS) < 700
    path = tmp_path / "scores.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(LoadError, match="aliases"):
        load_score_sheets(path)


def test_a_few_legitimate_aliases_still_load(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(
        "base: &w {consequence: never}\n"
        "decline_rules: {schedule: *w, distance: *w}\n".replace("base", "x"),
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as info:  # 'x' is not a policy field
        load_policy(path)
    assert codes(info.value) == {"extra_forbidden"}
    assert _parse.parse_yaml("a: &a [1, 2]\nb: [*a, *a]\n", _parse.yaml_module()) == {
        "a": [1, 2],
        "b": [[1, 2], [1, 2]],
    }


def test_alias_budget_counts_expanded_nodes():
    yaml = _parse.yaml_module()
    text = (
        "a: &a [" + ", ".join(["x"] * 100) + "]\nb: [" + ", ".join(["*a"] * 50) + "]\n"
    )
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    _parse.check_expansion(node, limit=5_100)
    with pytest.raises(_parse.DocumentProblem, match="aliases"):
        _parse.check_expansion(node, limit=4_900)


def test_byte_order_mark_is_accepted_in_json(tmp_path):
    text = (DATA / "qixinggang.json").read_text(encoding="utf-8")
    path = tmp_path / "bom.json"
    path.write_text(text, encoding="utf-8-sig")
    assert load_dataset(path) == load_dataset(DATA / "qixinggang.json")


def test_duplicate_keys_in_a_record_are_rejected_not_last_wins(tmp_path):
    text = (DATA / "qixinggang.json").read_text(encoding="utf-8")
    text = text.replace('"name": ', '"name": "x", "name": ', 1)
    path = tmp_path / "dupe.json"
    path.write_text(text, encoding="utf-8")
    report = load_report(path)
    assert [i.code for i in report.issues] == ["duplicate_key"]
    assert "'name'" in report.issues[0].message


def test_deep_nesting_says_what_happened(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    (issue,) = load_report(path).issues
    assert issue.code == "too_deep"
    assert "nested too deeply (more than 64 levels)" in issue.message
    assert "YAML" not in issue.message


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(_parse, "MAX_JSON_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"name": "x" * 2000}), encoding="utf-8")
    (issue,) = load_report(path).issues
    assert issue.code == "too_large"
    assert "1,000" in issue.message


def test_a_50_mb_record_id_is_echoed_cut_to_80_characters(tmp_path):
    data = json.loads((DATA / "qixinggang.json").read_text(encoding="utf-8"))
    data["recipients"][0]["recipient_id"] = "p" * 5_000_000
    data["recipients"][0]["community_id"] = "nowhere"
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_dataset(path)
    ids = {issue.record_id for issue in info.value.report.issues}
    assert max(len(i) for i in ids) == 80
    assert "p" * 81 not in str(info.value)


def test_invalid_score_sheet_is_a_load_error_naming_position_and_evaluator(tmp_path):
    path = tmp_path / "scores.json"
    path.write_text(
        json.dumps([{"evaluator_id": "e1", "role": "nobody", "ratings": {}}]),
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as info:
        load_score_sheets(path)
    (issue,) = info.value.report.issues
    assert (issue.row, issue.record_id, issue.field) == (1, "e1", "role")


def test_invalid_rubric_content_is_a_rubric_error_naming_the_file(tmp_path):
    path = tmp_path / "rubric.yaml"
    path.write_text("rubric_id: r\ndimensions: 3\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"rubric\.yaml"):
        load_rubric(path)


def test_unknown_keys_of_any_type_in_a_visit_log_are_listed(tmp_path):
    path = tmp_path / "log.yaml"
    path.write_text("1: a\nb: 2\nvisits: []\n", encoding="utf-8")
    with pytest.raises(WusheError) as info:
        load_visit_log(path)
    assert isinstance(info.value, LoadError)
    assert [i.field for i in info.value.report.issues] == ["1", "b"]


def _nesting(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_nesting, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_nesting, value), default=0)
    return 0


_TRICKY_TEXT = st.text(alphabet=st.sampled_from('[]{}"\\\\/a张 \n\u2028'), max_size=12)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _TRICKY_TEXT,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(_TRICKY_TEXT, children, max_size=3)
    ),
    max_leaves=30,
)


@given(_JSON_VALUES, st.booleans(), st.booleans())
def test_depth_counted_over_bytes_equals_the_parsed_nesting(value, ascii, indent):
    text = json.dumps(value, ensure_ascii=ascii, indent=1 if indent else None)
    assert _parse.json_depth(text) == _nesting(value)


def test_nesting_65_levels_deep_is_refused_and_64_accepted(tmp_path):
    for depth, refused in ((64, False), (65, True)):
        path = tmp_path / f"deep{depth}.json"
        inner = '"[[[[\\\\\\"{{"'
        path.write_text(
            '{"name": '
            + inner
            + ', "x": '
            + "[" * (depth - 1)
            + "]" * (depth - 1)
            + "}",
            encoding="utf-8",
        )
        codes_found = [i.code for i in load_report(path).issues]
        assert ("too_deep" in codes_found) is refused


_TOO_DEEP = "lists or objects are nested too deeply (more than 64 levels)"


def _old_scan(text: str) -> tuple[str, str] | None:
    """The scan as it was before #16: one Python hook per object, then the depth."""

    def check(pairs: list[tuple[str, Any]]) -> None:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise KeyError(key)
            seen.add(key)

    try:
        json.loads(text, object_pairs_hook=check)
    except KeyError as exc:
        key = _report.clip(exc.args[0])
        return "duplicate_key", (
            f"the key {key!r} appears twice in one object; keep one of them"
        )
    except json.JSONDecodeError as exc:
        where = f"(line {exc.lineno}, column {exc.colno})"
        return "invalid_syntax", f"not valid JSON: {exc.msg} {where}"
    except RecursionError:
        return "too_deep", _TOO_DEEP
    except ValueError as exc:
        return "invalid_syntax", f"not valid JSON: {_report.clip(exc)}"
    if _nesting(json.loads(text)) > _parse.MAX_DEPTH:
        return "too_deep", _TOO_DEEP
    return None


def _new_scan(text: str) -> tuple[str, str] | None:
    try:
        _parse.scan_json(text)
    except _parse.DocumentProblem as problem:
        return problem.code, problem.message
    return None


def _write_string(chars: list[tuple[str, bool]]) -> str:
    """A JSON string literal, each character written plainly or as a \\u escape."""
    body = "".join(
        f"\\u{ord(c):04x}" if escaped else json.dumps(c, ensure_ascii=False)[1:-1]
        for c, escaped in chars
    )
    return f'"{body}"'


def _write_object(
    members: list[tuple[list[tuple[str, bool]], str]], repeat: bool
) -> str:
    """An object; with ``repeat`` its first key again, each character escaped otherwise."""
    written = [(_write_string(key), value) for key, value in members]
    if repeat and members:
        key, value = members[0]
        written.append((_write_string([(c, not e) for c, e in key]), value))
    return "{" + ", ".join(f"{key}: {value}" for key, value in written) + "}"


# Few key characters so that keys repeat, some written escaped ("a" and "\u0061").
_KEYS = st.lists(
    st.tuples(st.sampled_from('a"\\:{]张/\u2028'), st.booleans()), max_size=2
)
_STRINGS = st.lists(
    st.tuples(st.sampled_from('a"\\:[]{},张 \n\u2028'), st.booleans()), max_size=5
).map(_write_string)
_JSON_TEXTS = st.recursive(
    st.sampled_from(["null", "true", "-1", "2.5e3"]) | _STRINGS,
    lambda children: (
        st.lists(children, max_size=3).map(lambda items: "[" + ",".join(items) + "]")
        | st.builds(
            _write_object,
            st.lists(st.tuples(_KEYS, children), max_size=4),
            st.booleans(),
        )
    ),
    max_leaves=30,
)


@given(_JSON_TEXTS, st.none() | st.integers(min_value=0))
def test_scan_accepts_and_rejects_exactly_as_the_hook_per_object_scan(text, cut):
    if cut is not None:  # a cut text is mostly invalid: the same syntax error
        text = text[: cut % (len(text) + 1)]
    assert _new_scan(text) == _old_scan(text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"a": 1, "\\u0061": 2}', "a"),
        ('{"\\\\": 1, "\\u005c": 2}', "\\"),
        ('{"\\/": 1, "/": 2}', "/"),
        ('{"\\"": 1, "\\u0022": 2}', '"'),
        ('[{"x:": {"y": "\\":{"}, "y": 1, "y": 2}]', "y"),
        ('{"a": {"b": 1, "b": 2}, "a": 3}', "b"),
    ],
)
def test_keys_equal_once_unescaped_are_refused_naming_the_key(text, key):
    with pytest.raises(_parse.DocumentProblem) as info:
        _parse.scan_json(text)
    assert info.value.code == "duplicate_key"
    assert f"the key {key!r} appears twice" in info.value.message


def test_colons_and_keys_inside_strings_are_not_members():
    text = '{"a": "\\"a\\": 1, \\"a\\": 2", "b": {"c:": ":", "c": "{\\"c\\":"}}'
    _parse.scan_json(text)
    assert _parse.json_structure(text) == (2, 4)


@given(_JSON_TEXTS, st.integers(min_value=1, max_value=9))
def test_structure_counted_in_slices_equals_one_pass_over_the_text(text, chunk):
    whole = _parse.json_structure(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_parse, "_CHUNK", chunk)  # slices end inside strings and keys
        assert _parse.json_structure(text.encode()) == whole
        assert _parse.json_structure(text) == whole


@given(_JSON_VALUES, st.integers(min_value=1, max_value=9))
def test_depth_counted_in_slices_equals_the_parsed_nesting(value, chunk):
    text = json.dumps(value, ensure_ascii=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_parse, "_CHUNK", chunk)
        assert _parse.json_depth(text.encode()) == _nesting(value)


def test_invalid_byte_after_a_byte_order_mark_is_counted_after_the_mark(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": "\xff"}')
    with pytest.raises(LoadError) as info:
        load_dataset(path)
    assert "byte 7 is invalid" in str(info.value)


@pytest.mark.parametrize("content", ["", " ", "\n\t\r ", "\u3000\u00a0\n"])
def test_a_file_of_white_space_alone_is_empty(tmp_path, content):
    path = tmp_path / "blank.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_dataset(path)
    assert codes(info.value) == {"empty"}


def _scan_bytes(text: str) -> tuple[str, str] | None:
    try:
        _parse.scan_json(text, text.encode())
    except _parse.DocumentProblem as problem:
        return problem.code, problem.message
    return None


@given(_JSON_TEXTS, st.none() | st.integers(min_value=0), st.integers(1, 9))
def test_scan_of_the_bytes_in_slices_decides_as_the_hook_per_object_scan(
    text, cut, chunk
):
    if cut is not None:
        text = text[: cut % (len(text) + 1)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_parse, "_CHUNK", chunk)
        assert _scan_bytes(text) == _old_scan(text)
