"""The partition file: its fast path accepts exactly what load_dataset accepts."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scale.province import make_county
from tests.stores import edit_partition, partition_path, rewrite_partition
from tests.strategies import resident_id
from wushe import examples
from wushe.exceptions import DatasetError, LoadError, StoreError
from wushe.io import (
    PartitionEntry,
    StoreManifest,
    dump_dataset,
    load_report,
    open_store,
    write_store,
)
from wushe.io._json import check_records
from wushe.io._partition import (
    _Deviation,
    _fast,
    encode_partition,
    load_partition,
    partition_document,
)
from wushe.models import COLLECTIONS, Dataset, Recipient
from wushe.vocab import TargetGroup

HEADER = {"name": "测试区", "division_code": "510106", "as_of": "2024-06-30"}
PLACES = {
    "divisions": [{"division_code": "510106001", "name": "街道"}],
    "communities": [
        {"community_id": "c1", "name": "一社区", "division_code": "510106001001"},
        {"community_id": "c2", "name": "二社区", "division_code": "510106001002"},
    ],
}

# Values near every rule's edge, valid and not: the fast path must decide each as the
# general loader does. Each field is usually valid, so that many documents load.
GROUPS = [g.value for g in TargetGroup] + ["独居老人", "低保", "孤儿", "no_such_group"]
BAD_NAMES = [" 李四 ", "", "   ", "\u200b", "张　三", 7, "A"]
GENDERS = ["male", "female", "男", "女", "other"]
BAD_PHONES = [" 13812345678", "1381234567", "23812345678", 13812345678]
TEXTS = ["重庆市渝中区兴隆街8号", "  有高血压  ", ""]
DISABILITIES = [{"category": "visual", "grade": 1}, {"category": "肢体残疾", "grade": 4},
                {"category": "visual", "grade": 5}, {"category": "visual"}]  # fmt: skip
AGE_GROUPS = {  # groups that fit an age band, as (lowest age, below age)
    (-200, 16): [
        "left_behind_child",
        "留守儿童",
        "child_in_difficulty",
        "orphan_scattered",
    ],
    (16, 18): ["orphan", "困境儿童"],
    (18, 60): ["dibao", "低保", "disability", "extreme_poverty_dispersed"],
    (60, 80): ["elder_living_alone", "独居老人", "empty_nest_elder"],
    (80, 200): ["advanced_age_elder", "elder_living_alone"],
}


CLASHES = [["dibao", "near_dibao"], ["低保", "低保边缘"], ["orphan", "de_facto_unsupported_child"],
           ["extreme_poverty_dispersed", "extreme_poverty_centralised"]]  # fmt: skip


def _often(draw: st.DrawFn, good: Any, bad: list[Any]) -> Any:
    """``good`` nine times in ten, else one of ``bad`` (and ``good`` as the simplest)."""
    return draw(st.sampled_from(bad)) if draw(st.sampled_from(range(10))) == 9 else good


def _groups(draw: st.DrawFn, age: int) -> list[str]:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.lists(st.sampled_from(GROUPS), max_size=3))
    fitting = next(g for (low, high), g in AGE_GROUPS.items() if low <= age < high)
    return draw(st.lists(st.sampled_from(fitting), max_size=2))


@st.composite
def consents(draw: st.DrawFn, born: date, least: int = 0) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.sampled_from(range(least, 3)))):
        start = born + timedelta(days=draw(st.integers(12 * 365, 16 * 365)))
        record: dict[str, Any] = {
            "purpose": draw(st.sampled_from(["casework", "care_visit", "research"])),
            "valid_from": start.isoformat(),
        }
        basis = draw(
            st.sampled_from(
                [None, None, "consent", "guardian_consent", "statutory_duty"]
            )
        )
        if basis is not None:
            record["basis"] = basis
        giver = draw(
            st.sampled_from([None, "监护人", "本人", "祖母", "监护人（母亲）"])
        )
        if giver is not None:
            record["given_by"] = giver
        if draw(st.booleans()):
            record["reference"] = "《社会救助暂行办法》"
        out.append(record)
    return out


@st.composite
def recipients(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """One recipient record, usually valid, sometimes wrong in one or more ways."""
    born = draw(st.dates(date(1925, 1, 1), date(2022, 12, 31)))
    assessed = _often(draw, date(2024, 6, 30), [None, date(2010, 1, 1), "2024-13-01"])
    on = assessed if isinstance(assessed, date) else date.today()
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    number = resident_id("510106", born, draw(st.integers(0, 999)))
    wrong_check = number[:-1] + ("0" if number[-1] != "0" else "1")
    record: dict[str, Any] = {
        "recipient_id": _often(draw, f"p{index}", ["p 1", "", "p0", "a/b"]),
        "name": _often(draw, "张晓华", BAD_NAMES),
        "community_id": _often(draw, draw(st.sampled_from(["c1", "c2"])), ["nowhere"]),
        "target_groups": _groups(draw, age),
        "id_number": _often(
            draw, number, [None, wrong_check, number.lower(), f" {number}", number[:17]]
        ),
        "birth_date": _often(
            draw,
            draw(st.sampled_from([None, born.isoformat()])),
            ["1990-02-30", "1950-01-01", 19500101],
        ),
        "gender": _often(draw, draw(st.sampled_from([None, "male", "女"])), GENDERS),
        "phone": _often(draw, draw(st.sampled_from([None, "13812345678"])), BAD_PHONES),
        "address": draw(st.sampled_from([None, None, *TEXTS])),
        "health_notes": draw(st.sampled_from([None, None, *TEXTS])),
        "disability": _often(draw, None, DISABILITIES),
        "consents": draw(consents(born)),
        "assessed_on": assessed.isoformat() if isinstance(assessed, date) else assessed,
    }
    record = {k: v for k, v in record.items() if v is not None}
    if draw(st.integers(0, 9)) == 0:  # a stray key or an explicit null: written as rows
        record[draw(st.sampled_from(["nickname", "phone"]))] = None
    return record


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 3))
    people = [draw(recipients(i)) for i in range(count)]
    return {**HEADER, **PLACES, "recipients": people}


def _issues(report: Any) -> list[tuple[Any, ...]]:
    return [
        (i.collection, i.row, i.record_id, i.field, i.code, i.message)
        for i in report.issues
    ]


def _encode(document: dict[str, Any]) -> bytes:
    header = {k: v for k, v in document.items() if k not in COLLECTIONS}
    body = {k: v for k, v in document.items() if k in COLLECTIONS}
    return encode_partition(header, body)


def _same_recipients(one: Dataset, other: Dataset) -> None:
    assert one == other
    for a, b in zip(one.recipients, other.recipients, strict=True):
        assert a.__dict__ == b.__dict__
        assert a.model_fields_set == b.model_fields_set
    assert one.model_dump_json() == other.model_dump_json()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents())
def test_the_fast_path_accepts_exactly_what_load_dataset_accepts(
    tmp_path: Path, document: dict[str, Any]
) -> None:
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    report = load_report(path)
    data = _encode(document)
    try:
        fast = _fast(data)
    except (_Deviation, ValueError, DatasetError):
        fast = None
    if report.dataset is None:
        assert fast is None  # never accepts what the general loader refuses
        with pytest.raises(LoadError) as info:
            load_partition(data, str(path))
        assert _issues(info.value.report) == _issues(report)
        return
    assert fast is not None, _issues(
        report
    )  # a valid partition never needs the general path
    _same_recipients(fast, report.dataset)
    _same_recipients(load_partition(data, str(path)), report.dataset)


@st.composite
def people(draw: st.DrawFn) -> dict[str, Any]:
    """A recipient whose every field is valid: only the cross-field rules decide."""
    born = draw(st.dates(date(1995, 1, 1), date(2012, 12, 31)))  # 14 falls in view
    record: dict[str, Any] = {
        "recipient_id": "p0",
        "name": "张晓华",
        "community_id": "c1",
        "target_groups": draw(
            st.sampled_from(
                [[], [], *CLASHES, ["dibao"], ["独居老人"], ["left_behind_child"]]
            )
        ),
        "consents": draw(consents(born, least=draw(st.sampled_from([1, 1, 0])))),
    }
    if draw(st.sampled_from([True, True, True, False])):
        record["id_number"] = resident_id("510106", born, draw(st.integers(0, 999)))
    given = draw(st.sampled_from([None, born, born + timedelta(days=1)]))
    if given is not None:
        record["birth_date"] = given.isoformat()
    gender = draw(st.sampled_from([None, None, "male", "female"]))
    if gender is not None:
        record["gender"] = gender
    if draw(st.sampled_from([True, True, True, False])):
        record["assessed_on"] = draw(
            st.dates(date(2000, 1, 1), date(2026, 1, 1))
        ).isoformat()
    return record


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(persons=st.lists(people(), min_size=12, max_size=12))
def test_the_columns_apply_the_cross_field_rules_as_the_model_does(
    tmp_path: Path, persons: list[dict[str, Any]]
) -> None:
    for person in persons:  # one record a file: each is accepted or refused alone
        document = {**HEADER, **PLACES, "recipients": [person]}
        path = tmp_path / "dataset.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        report = load_report(path)
        try:
            fast = _fast(_encode(document))
        except (ValueError, DatasetError):
            assert report.dataset is None
        else:
            assert report.dataset is not None, _issues(report)
            _same_recipients(fast, report.dataset)


def _grid() -> list[dict[str, Any]]:
    """Every combination of the inputs the cross-field rules read, at their edges."""
    assessed = date(2024, 6, 30)
    births = [
        date(assessed.year - years, 6, 30) + timedelta(days=shift)
        for years in (10, 14, 16, 18, 60, 80)
        for shift in (0, 1)  # the birthday itself, and the day after (a year younger)
    ]
    groups = [[], ["left_behind_child"], ["orphan"], ["elder_living_alone"],
              ["advanced_age_elder"], ["dibao", "near_dibao"], ["orphan_scattered"]]  # fmt: skip
    people: list[dict[str, Any]] = []
    for born, group, (at, basis, giver), (with_id, gender) in itertools.product(
        births,
        groups,
        [(None, None, None), (13, "consent", None), (14, "consent", None),
         (10, "guardian_consent", "监护人"), (10, "guardian_consent", "祖母")],
        [(True, None), (True, "female"), (False, None)],
    ):  # fmt: skip
        record: dict[str, Any] = {"recipient_id": f"p{len(people)}", "name": "张晓华",
                                  "community_id": "c1", "target_groups": group,
                                  "assessed_on": assessed.isoformat()}  # fmt: skip
        if with_id:
            record["id_number"] = resident_id("510106", born, len(people))
        else:
            record["birth_date"] = born.isoformat()
        if gender is not None:
            record["gender"] = gender
        if at is not None:
            start = date(born.year + at, born.month, born.day)
            record["consents"] = [{"purpose": "casework", "basis": basis,
                                   "valid_from": start.isoformat(),
                                   **({"given_by": giver} if giver else {})}]  # fmt: skip
        people.append(record)
    return people


def test_the_columns_decide_every_edge_of_the_cross_field_rules_as_the_model() -> None:
    for person in _grid():  # one record a document: each is accepted or refused alone
        document = {**HEADER, **PLACES, "recipients": [person]}
        report = check_records(json.loads(json.dumps(document)))
        try:
            fast = _fast(_encode(document))
        except (ValueError, DatasetError):
            assert report.dataset is None, person
        else:
            assert report.dataset is not None, (person, _issues(report))
            _same_recipients(fast, report.dataset)


BASE = {"recipient_id": "p0", "name": "张晓华", "community_id": "c1",
        "id_number": resident_id("510106", date(1950, 3, 1), 7), "assessed_on": "2024-06-30"}  # fmt: skip
NUMBER = BASE["id_number"]
EDGES: dict[str, list[Any]] = {
    "recipient_id": ["p 1", "", "a/b", "p" * 129, " p0 ", 7],
    "name": [*BAD_NAMES, "\uff21", "张\u3000", "\t张", "·张", ["张"]],
    "community_id": ["nowhere", " c1", "c2"],
    "target_groups": [[g] for g in GROUPS] + [["dibao", "dibao"], "dibao", [7]],
    "id_number": [NUMBER.lower(), f" {NUMBER}", f"{NUMBER} ", NUMBER[:17], NUMBER[:-1] + "X",
                  "51010619491231002x", "110105194912310020", "510106205003010075", 7],
    "birth_date": ["1950-03-01", "1950-03-02", "1990-02-30", "1950-3-1", 19500301, None],
    "gender": [*GENDERS, "MALE", " male", 1],
    "phone": [*BAD_PHONES, "13812345678", "+8613812345678", "138 1234 5678", ""],
    "address": [*TEXTS, " ", 5],
    "health_notes": [*TEXTS, "\u200b"],
    "disability": [*DISABILITIES, "visual", {"category": "visual", "grade": 2, "x": 1}],
    "consents": [[], [{"purpose": "casework", "valid_from": "2020-01-01"}],
                 [{"purpose": "casework", "valid_from": "2020-01-01", "basis": "statutory_duty"}],
                 {"purpose": "casework"}, [{"purpose": "casework", "valid_from": "1955-01-01"}]],
    "assessed_on": ["2024-06-30", "2024-13-01", "", None, "2024-06-30T00:00:00"],
}  # fmt: skip


def test_each_field_at_its_edges_is_decided_as_load_dataset_decides() -> None:
    for field, values in EDGES.items():
        for value in values:
            person = {**BASE, field: value}
            if value is None:
                del person[field]
            other = {**BASE, "recipient_id": "p1"}
            _decided_alike({**HEADER, **PLACES, "recipients": [person, other]})


def _decided_alike(document: dict[str, Any]) -> None:
    """The fast path accepts the document iff the general loader does, and alike."""
    report = check_records(json.loads(json.dumps(document)))
    data = _encode(document)
    try:
        fast = _fast(data)
    except (_Deviation, ValueError, DatasetError):
        assert report.dataset is None, document
        with pytest.raises(LoadError) as info:
            load_partition(data, "<data>")
        assert _issues(info.value.report) == _issues(report)
    else:
        assert report.dataset is not None, (document, _issues(report))
        _same_recipients(fast, report.dataset)


@pytest.mark.parametrize("seed", ["qixinggang", "jinniu"])
def test_every_partition_of_the_seeds_takes_the_fast_path(
    tmp_path: Path, seed: str
) -> None:
    ds = examples.load(seed)
    write_store(tmp_path, ds)
    store = open_store(tmp_path)
    for key in store.keys:
        _same_recipients(_fast(store.read(key)), store.load(key))
    dump_dataset(ds, tmp_path / "whole.json")
    if len(store.keys) == 1:
        assert store.load(store.keys[0]).recipients == ds.recipients


def test_recipients_are_written_by_column(tmp_path: Path) -> None:
    write_store(tmp_path, examples.load("jinniu"))
    lines = partition_path(tmp_path, "510106").read_bytes().splitlines()
    kinds = {tuple(json.loads(line)[:2]) for line in lines}
    assert ("column", "recipients.id_number") in kinds
    assert ("table", "recipients.community_id") in kinds
    assert ("rows", "recipients") not in kinds


def _store(tmp_path: Path) -> str:
    """A one-county store whose 20 recipients live in two communities (a coded column)."""
    data, _ = make_county("510101", streets=1, communities=2, recipients=10)
    write_store(tmp_path, Dataset.model_validate(data))
    return "510101"


def _rewrite_line(tmp_path: Path, key: str, kind: str, name: str, body: bytes) -> None:
    """Replace one line's body, keeping the checksum right (an editor can)."""
    lines = partition_path(tmp_path, key).read_bytes().splitlines()
    prefix = json.dumps([kind, name], separators=(",", ":")).encode()[:-1] + b","
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            lines[i] = prefix + body + b"]"
    rewrite_partition(tmp_path, key, b"\n".join(lines) + b"\n")


def test_a_repeated_key_in_a_partition_is_refused_whatever_the_checksum(
    tmp_path: Path,
) -> None:
    key = _store(tmp_path)
    body = b'[{"division_code":"500103","name":"A","name":"B"}]'
    _rewrite_line(tmp_path, key, "rows", "divisions", body)
    with pytest.raises(LoadError) as info:
        open_store(tmp_path).load(key)
    assert [i.code for i in info.value.report.issues] == ["duplicate_key"]
    assert "'name' appears twice" in info.value.report.issues[0].message


def test_a_repeated_key_inside_a_recipients_table_is_refused(tmp_path: Path) -> None:
    key = _store(tmp_path)
    body = b'[[{"purpose":"casework","purpose":"research","valid_from":"2020-01-01"}]]'
    _rewrite_line(tmp_path, key, "table", "recipients.consents", body)
    with pytest.raises(LoadError, match="duplicate_key"):
        open_store(tmp_path).load(key)


def test_objects_smuggled_into_a_plain_column_are_still_scanned(tmp_path: Path) -> None:
    key = _store(tmp_path)
    document = partition_document(partition_path(tmp_path, key).read_bytes())
    count = len(document["recipients"])
    consents = [{"purpose": "casework", "purpose ": "x", "valid_from": "2020-01-01"}]
    body = json.dumps([consents] * count).encode().replace(b'"purpose "', b'"purpose"')
    lines = [
        line
        for line in partition_path(tmp_path, key).read_bytes().splitlines()
        if b'"recipients.consents"' not in line
    ]
    lines.append(b'["column","recipients.consents",' + body + b"]")
    rewrite_partition(tmp_path, key, b"\n".join(lines) + b"\n")
    with pytest.raises(LoadError, match="duplicate_key"):
        open_store(tmp_path).load(key)


def test_a_partition_nested_too_deeply_is_refused(tmp_path: Path) -> None:
    key = _store(tmp_path)
    deep = b"[" * 70 + b"]" * 70
    body = b'[{"division_code":"500103","name":"A","x":' + deep + b"}]"
    _rewrite_line(tmp_path, key, "rows", "divisions", body)
    with pytest.raises(LoadError) as info:
        open_store(tmp_path).load(key)
    assert [i.code for i in info.value.report.issues] == ["too_deep"]


@pytest.mark.parametrize(
    ("kind", "name", "body"),
    [
        ("codes", "recipients.community_id", b"[99,0,0]"),
        ("codes", "recipients.community_id", b"[0]"),
        ("column", "recipients.recipient_id", b'["a"]'),
        ("codes", "recipients.community_id", b"[0" + b",0" * 19 + b".0]"),
        ("codes", "recipients.community_id", b"[0" + b",0" * 18 + b",true]"),
    ],
)
def test_a_column_out_of_shape_is_named(
    tmp_path: Path, kind: str, name: str, body: bytes
) -> None:
    key = _store(tmp_path)
    _rewrite_line(tmp_path, key, kind, name, body)
    with pytest.raises(LoadError) as info:
        open_store(tmp_path).load(key)
    assert [i.code for i in info.value.report.issues] == ["malformed_partition"]


def test_a_null_in_a_table_leaves_the_field_out_as_the_general_path_reads_it(
    tmp_path: Path,
) -> None:
    key = _store(tmp_path)
    lines = partition_path(tmp_path, key).read_bytes().splitlines()
    count = len(partition_document(b"\n".join(lines))["recipients"])
    lines.append(b'["table","recipients.phone",[null]]')
    lines.append(b'["codes","recipients.phone",[' + b",".join([b"0"] * count) + b"]]")
    rewrite_partition(tmp_path, key, b"\n".join(lines) + b"\n")
    store = open_store(tmp_path)
    fast = _fast(store.read(key))
    general = check_records(partition_document(store.read(key))).dataset
    assert general is not None
    _same_recipients(fast, general)
    assert all("phone" not in r.model_fields_set for r in fast.recipients)


def test_an_unknown_line_is_named(tmp_path: Path) -> None:
    key = _store(tmp_path)
    data = partition_path(tmp_path, key).read_bytes() + b'["shadow","recipients",[]]\n'
    rewrite_partition(tmp_path, key, data)
    with pytest.raises(LoadError, match="unexpected 'shadow' line"):
        open_store(tmp_path).load(key)


def test_a_wrong_check_character_is_found_though_the_checksum_matches(
    tmp_path: Path,
) -> None:
    key = _store(tmp_path)

    def wrong(document: dict[str, Any]) -> None:
        number = document["recipients"][1]["id_number"]
        document["recipients"][1]["id_number"] = number[:-1] + (
            "0" if number[-1] != "0" else "1"
        )

    document = edit_partition(tmp_path, key, wrong)
    with pytest.raises(LoadError) as info:
        open_store(tmp_path).load(key)
    issue = info.value.report.issues[0]
    assert (issue.row, issue.field) == (2, "id_number")
    assert issue.record_id == document["recipients"][1]["recipient_id"]


def _layout_one(tmp_path: Path, text: str) -> None:
    (tmp_path / "partitions" / "510106").mkdir(parents=True)
    (tmp_path / "partitions" / "510106" / "dataset.json").write_text(
        text, encoding="utf-8"
    )
    import hashlib  # noqa: PLC0415

    document = json.loads(text)
    counts = {c: len(document[c]) for c in COLLECTIONS if document.get(c)}
    entry = PartitionEntry(key="510106", name="金牛区", counts=counts, files={
        "dataset.json": hashlib.sha256(text.encode()).hexdigest()})  # fmt: skip
    manifest = StoreManifest(schema_version=1, name="x", division_code="510000",
                             partitions=(entry,))  # fmt: skip
    (tmp_path / "manifest.json").write_text(
        manifest.model_dump_json(), encoding="utf-8"
    )


def test_a_layout_one_store_is_still_read_with_every_check(tmp_path: Path) -> None:
    ds = examples.load("jinniu")
    text = dump_dataset(ds, tmp_path / "whole.json").read_text(encoding="utf-8")
    _layout_one(tmp_path / "one", text)
    assert open_store(tmp_path / "one").load("510106") == ds
    doubled = text.replace('"name": "金牛区"', '"name": "金牛区", "name": "x"', 1)
    _layout_one(tmp_path / "two", doubled)
    with pytest.raises(LoadError, match="duplicate_key"):
        open_store(tmp_path / "two").load("510106")


def test_a_store_of_a_newer_layout_names_its_version(tmp_path: Path) -> None:
    _store(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    manifest["schema_version"] = 3
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StoreError, match=r"layout 3\); this one reads layout 2"):
        open_store(tmp_path)


def test_the_columns_apply_every_validator_the_models_declare() -> None:
    """The fast path re-implements these validators over columns: a new one must be added there."""
    recipient = Recipient.__pydantic_decorators__
    assert set(recipient.model_validators) == {"_consistent"}
    assert not recipient.field_validators
    assert not recipient.validators
    dataset = Dataset.__pydantic_decorators__
    assert set(dataset.model_validators) == {"_check_integrity"}
    assert not dataset.field_validators
    assert not dataset.validators
