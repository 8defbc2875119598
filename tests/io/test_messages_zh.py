"""Every message a JSON or YAML file can earn reads in Chinese under ``--lang zh`` (#14)."""

from __future__ import annotations

import ast
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wushe
from wushe import examples
from wushe.cli import main
from wushe.io import _parse as parse_module
from wushe.io import load_report
from wushe.io._messages import translate

CJK = re.compile(r"[\u3400-\u9fff]")
# Three English words in a row: a message left untranslated.
ENGLISH = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}")
QXG = json.loads(examples.path("qixinggang.json").read_text(encoding="utf-8"))


def _chinese(message: str) -> bool:
    return bool(CJK.search(message)) and not ENGLISH.search(message)


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _with(collection: str, index: int, **changes: object) -> str:
    data = json.loads(json.dumps(QXG))
    data[collection][index].update(changes)
    return json.dumps(data, ensure_ascii=False)


def _nested(depth: int) -> str:
    return '{"x": ' + "[" * depth + "]" * depth + "}"


FILES: dict[str, tuple[str, str | bytes]] = {
    "empty": ("a.json", "  \n"),
    "not_utf8": ("a.json", b'{"name": "\xff"}'),
    "not_an_object": ("a.json", "[]"),
    "duplicate_key": ("a.json", '{"name": 1, "name": 2}'),
    "invalid_syntax": ("a.json", '{"name": '),
    "too_deep": ("a.json", _nested(80)),
    "extra_forbidden": ("a.json", '{"name": "x", "division_code": "500103", "foo": 1}'),
    "list_type": ("a.json", '{"name": "x", "division_code": "500103", "needs": {}}'),
    "missing": ("a.json", '{"division_code": "500103"}'),
    "enum": ("a.json", _with("recipients", 0, gender="unknown")),
    "value_error": ("a.json", _with("recipients", 0, id_number="500103194103150221")),
    "date_from_datetime_parsing": ("a.json", _with("needs", 0, raised_on="2023-02-30")),
    "unknown_reference": ("a.json", _with("recipients", 0, community_id="nowhere")),
    "duplicate_id": ("a.json", _with("recipients", 1, recipient_id=QXG["recipients"][0]["recipient_id"])),
    "yaml_syntax": ("a.yaml", "a: [\n"),
    "recursive_alias": ("a.yaml", "a: &x [*x]\n"),
    "too_many_aliases": (
        "a.yaml",
        "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
        + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
                  for p, c in zip("abcdefg", "bcdefgh", strict=True)),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(FILES))
def test_each_dataset_file_problem_is_explained_in_chinese(tmp_path, case):
    name, content = FILES[case]
    report = load_report(_write(tmp_path, name, content), lang="zh")
    assert report.issues, case
    code = "invalid_syntax" if case == "yaml_syntax" else case
    assert code in {i.code for i in report.issues}
    for issue in report.issues:
        assert _chinese(issue.message), (issue.code, issue.message)


def test_a_missing_file_a_folder_and_a_too_large_file_read_in_chinese(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(parse_module, "MAX_JSON_BYTES", 10)
    paths = [
        tmp_path / "missing.json",
        tmp_path,
        _write(tmp_path, "big.json", " " * 50),
    ]
    for path in paths:
        (issue,) = load_report(path, lang="zh").issues
        assert _chinese(issue.message), issue


@pytest.mark.parametrize(
    "code", ["minor_without_guardian_consent", "referral_without_lawful_basis"]
)
def test_the_consent_warnings_read_in_chinese(code):
    assert _chinese(translate(code, "the English text of the warning", "zh"))


def _validator_messages() -> list[str]:
    """Every message a model validator raises, placeholders filled with sample values."""
    root = Path(wushe.__file__).parent
    found: list[str] = []
    for path in [*root.joinpath("models").glob("*.py"), root / "codes.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "msg" for t in node.targets
            ):
                text = _sample(node.value)
                if text is not None:
                    found.append(text)
    return found


def _sample(value: ast.expr) -> str | None:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    if isinstance(value, ast.JoinedStr):
        parts = []
        for part in value.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
            else:
                conversion = getattr(part, "conversion", -1)
                parts.append("'七'" if conversion == ord("r") else "7")
        return "".join(parts)
    return None


_NOT_FOR_CLERKS = ("unknown collection",)  # a programming error, never a file's


@pytest.mark.parametrize("text", sorted(set(_validator_messages())))
def test_every_validator_message_has_a_chinese_text(text):
    if text.startswith(_NOT_FOR_CLERKS):
        return
    zh = translate("value_error", f"Value error, {text}", "zh")
    assert not zh.startswith("取值无效"), text
    assert _chinese(zh), zh


FIELDS = ["name", "community_id", "gender", "birth_date", "id_number", "phone",
          "target_groups", "consents", "assessed_on"]  # fmt: skip
JUNK = st.one_of(
    st.none(), st.integers(), st.booleans(), st.text(max_size=8),
    st.sampled_from(["2023-02-30", "2023/13/01", "低保", "男性", "13800", "x" * 200, [], {}]),
)  # fmt: skip


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    index=st.integers(0, len(QXG["recipients"]) - 1),
    field=st.sampled_from(FIELDS),
    junk=JUNK,
)
def test_any_bad_recipient_field_is_reported_in_chinese(tmp_path, index, field, junk):
    data = json.loads(json.dumps(QXG))
    data["recipients"][index][field] = junk
    path = _write(tmp_path, "a.json", json.dumps(data, ensure_ascii=False))
    for issue in load_report(path, lang="zh").issues:
        assert _chinese(issue.message), (issue.code, issue.message)


def test_wushe_validate_prints_a_json_file_s_problems_in_chinese(tmp_path):
    path = _write(tmp_path, "district.json", _with("recipients", 0, gender="unknown"))
    err = io.StringIO()
    out = io.StringIO()
    code = main(["validate", str(path), "--lang", "zh"], out=out, err=err)
    assert code == 1
    text = out.getvalue() + err.getvalue()
    assert "不是可选的取值；可选：男、女" in text
    assert "Input should be" not in text
