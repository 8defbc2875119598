"""Every number and time a record holds is bounded at the boundary (取值上限).

Regression tests for the crashes of issue 11: each input here used to pass validation
and then crash or corrupt an engine (TypeError, OverflowError, decimal.Overflow, a
HiGHS model error, a load score wrapped to -2)."""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from tests.matching.strategies import AS_OF, COMMUNITIES
from tests.strategies import full_consents, resident_id
from wushe import examples
from wushe.care import IncidentReport, VisitRecord, schedule
from wushe.exceptions import LoadError, WusheError
from wushe.io import load_dataset, load_report
from wushe.matching import match
from wushe.models import (
    Activity,
    CharitableResource,
    Community,
    IndicatorTarget,
    Need,
    Quantity,
    Recipient,
    ServiceProject,
    SocialOrganization,
    SocialWorker,
    TimeWindow,
    Volunteer,
)

EXAMPLE = examples.path("qixinggang.json")


def _field_errors(error: ValidationError) -> set[str]:
    return {".".join(str(p) for p in e["loc"]) for e in error.errors()}


# -- times ---------------------------------------------------------------------------


def test_a_window_may_mix_naive_and_offset_times_and_is_kept_in_beijing_time():
    window = TimeWindow.model_validate(
        {"start": "2024-01-01T09:00", "end": "2024-01-01T10:00+08:00"}
    )
    assert window.start == datetime(2024, 1, 1, 9)
    assert window.end == datetime(2024, 1, 1, 10)
    assert window.end.tzinfo is None


def test_an_offset_in_another_zone_is_converted_to_beijing_time():
    window = TimeWindow.model_validate(
        {"start": "2024-01-01T01:00Z", "end": "2024-01-01T11:00"}
    )
    assert window.start == datetime(2024, 1, 1, 9)
    assert window.overlaps(
        TimeWindow.model_validate(
            {"start": "2024-01-01T10:00", "end": "2024-01-01T04:00+01:00"}
        )
    )


@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T09:00",
        "1899-12-31T23:59",
        "2201-01-01T00:00",
        "9999-12-31T23:00-12:00",  # converting would overflow past year 9999
        "0001-01-01T00:00+14:00",  # ... or before year 1
    ],
)
def test_a_time_outside_1900_to_2200_is_rejected_before_any_conversion(moment):
    with pytest.raises(ValidationError, match="between 1900-01-01 and 2200-12-31"):
        TimeWindow.model_validate({"start": moment, "end": "2024-01-01T10:00"})


def test_a_care_log_may_mix_naive_and_offset_times():
    elder = Recipient.model_validate(
        {
            "recipient_id": "p1",
            "name": "钱桂芳",
            "community_id": "c1",
            "target_groups": ["独居老人"],
            "birth_date": "1940-05-01",
            "assessed_on": "2024-01-02",
        }
    )
    visits = [
        VisitRecord.model_validate(
            {"visit_id": "v1", "recipient_id": "p1", "visited_at": "2024-03-01T10:00"}
        ),
        VisitRecord.model_validate(
            {
                "visit_id": "v2",
                "recipient_id": "p1",
                "visited_at": "2024-03-02T10:00+08:00",
            }
        ),
    ]
    incident = IncidentReport.model_validate(
        {
            "incident_id": "i1",
            "recipient_id": "p1",
            "kind": "hospitalisation",
            "occurred_at": "2024-03-01T02:00Z",
        }
    )
    [due] = schedule([elder], visits, incidents=[incident], as_of=date(2024, 3, 12))
    assert due.recipient_id == "p1"
    assert visits[1].visited_at == datetime(2024, 3, 2, 10)
    with pytest.raises(ValidationError, match="between 1900"):
        VisitRecord.model_validate(
            {"visit_id": "v3", "recipient_id": "p1", "visited_at": "0001-01-01T00:00"}
        )


# -- capacities, counts and amounts --------------------------------------------------


def _volunteer(**fields: Any) -> Volunteer:
    return Volunteer.model_validate(
        {"volunteer_id": "v1", "name": "李娜", "home_community_id": "c11", **fields}
    )


@pytest.mark.parametrize("value", [2**63, 2**62, 1_000_001])
def test_a_capacity_above_a_million_is_rejected(value):
    cases: list[tuple[type[Any], dict[str, Any], str]] = [
        (Volunteer, {"volunteer_id": "v1", "name": "李娜"}, "capacity"),
        (SocialWorker, {"worker_id": "w1", "name": "王芳"}, "caseload"),
        (SocialOrganization, {"organization_id": "o1", "name": "机构"}, "capacity"),
    ]
    for model, record, field in cases:
        with pytest.raises(ValidationError, match="less than or equal to 1000000") as e:
            model.model_validate({**record, field: value})
        assert _field_errors(e.value) == {field}


def test_counts_above_a_billion_are_rejected():
    base = {"activity_id": "a1", "activity_type": "care_visit", "held_on": "2024-01-01"}
    for field in ("sessions", "person_times"):
        with pytest.raises(ValidationError) as e:
            Activity.model_validate({**base, "station_id": "s", field: 10**9 + 1})
        assert _field_errors(e.value) == {field}
    with pytest.raises(ValidationError):
        Community.model_validate(
            {
                "community_id": "c1",
                "name": "社区",
                "division_code": "420116001001",
                "population": 2**63,
            }
        )


def _fund(total: Any) -> dict[str, Any]:
    return {
        "resource_id": "f1",
        "name": "社区慈善基金",
        "resource_kind": "funds",
        "total": total,
    }


@pytest.mark.parametrize(
    "amount",
    [
        "1e999999",
        "1e999990",
        Decimal("1e999990"),
        "1e17",
        1e17,
        "1e14",
        "1000000000000.01",
        float("inf"),
        "NaN",
    ],
)
def test_an_amount_above_a_trillion_is_rejected_at_once(amount):
    started = time.perf_counter()
    with pytest.raises(ValidationError) as e:
        CharitableResource.model_validate(_fund(amount))
    assert time.perf_counter() - started < 1.0
    assert _field_errors(e.value) == {"total"}


def test_an_amount_with_more_than_two_decimals_is_rejected_but_zeros_do_not_count():
    with pytest.raises(ValidationError, match="2 decimal places"):
        CharitableResource.model_validate(_fund("10.005"))
    with pytest.raises(ValidationError, match="2 decimal places"):
        CharitableResource.model_validate(_fund("1e-999990"))
    assert CharitableResource.model_validate(_fund("10.500")).total == Decimal("10.5")


def test_every_other_amount_field_is_bounded_too():
    role = {"role": "resource", "resource_kind": "funds", "amount": "1e999999"}
    need = {
        "need_id": "n1",
        "recipient_id": "p1",
        "category": "elderly_care",
        "roles": [role],
        "raised_on": "2024-01-01",
    }
    with pytest.raises(ValidationError):
        Need.model_validate(need)
    project = {
        "project_id": "pr1",
        "name": "项目",
        "funder": "民政局",
        "operator_id": "o1",
        "budget": "1e14",
        "period": {"start": "2024-01-01", "end": "2024-12-31"},
    }
    with pytest.raises(ValidationError):
        ServiceProject.model_validate(project)
    for bad in ("1e999999", "-1e13", "0.0000001"):
        with pytest.raises(ValidationError):
            IndicatorTarget.model_validate(
                {"indicator": "x", "target": 1, "baseline": bad}
            )
    with pytest.raises(ValidationError):
        Quantity.model_validate({"name": "books", "amount": "1e999999"})


# -- through the loaders -------------------------------------------------------------


def _write(tmp_path: Path, change: Any) -> Path:
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "data.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda raw: raw["volunteers"][0].update(capacity=2**63), "capacity"),
        (lambda raw: raw["workers"][0].update(caseload=2**62), "caseload"),
        (lambda raw: raw["organizations"][0].update(capacity=2**62), "capacity"),
        (
            lambda raw: raw["volunteers"][0].update(
                availability=[{"start": "0001-01-01T09:00", "end": "0001-01-01T10:00"}]
            ),
            "availability",
        ),
        (
            lambda raw: raw.update(resources=[_fund("1e999999")]),
            "total",
        ),
        (lambda raw: raw.update(resources=[_fund(1e17)]), "total"),
    ],
    ids=[
        "volunteer-2**63",
        "caseload-2**62",
        "organisation-2**62",
        "year-1",
        "1e999999",
        "1e17",
    ],
)
def test_the_loaders_report_an_out_of_bounds_value_by_record_and_field(
    tmp_path, change, field
):
    path = _write(tmp_path, change)
    report = load_report(path)
    assert not report.ok
    assert any(field in issue.field for issue in report.issues), report.summary()
    with pytest.raises(LoadError) as e:
        load_dataset(path)
    assert isinstance(e.value, WusheError)


def test_the_loaders_accept_a_window_mixing_naive_and_offset_times(tmp_path):
    window = {"start": "2024-07-01T09:00", "end": "2024-07-01T10:00+08:00"}
    path = _write(
        tmp_path, lambda raw: raw["volunteers"][0].update(availability=[window])
    )
    assert load_report(path).ok
    ds = load_dataset(path)
    [loaded] = ds.volunteers[0].availability
    assert loaded.end == datetime(2024, 7, 1, 10)


# -- matching at the bounds ----------------------------------------------------------


def _elder(i: int) -> Recipient:
    return Recipient.model_validate(
        {
            "recipient_id": f"p{i}",
            "name": "张伟",
            "community_id": "c11",
            "id_number": resident_id("420116", date(1940, 2, 2), i),
            "assessed_on": AS_OF,
            "consents": full_consents(guardian=False),
        }
    )


def _need(i: int, role: dict[str, Any], window: tuple[str, str] | None = None) -> Need:
    record: dict[str, Any] = {
        "need_id": f"n{i}",
        "recipient_id": f"p{i}",
        "category": "elderly_care",
        "roles": [role],
        "raised_on": AS_OF,
    }
    if window is not None:
        record["window"] = {"start": window[0], "end": window[1]}
    return Need.model_validate(record)


def test_matching_with_the_largest_capacities_keeps_the_load_score_in_range():
    organizations = [
        SocialOrganization(
            organization_id=f"o{k}",
            name=f"机构{k}",
            services=frozenset({"elderly_care"}),  # type: ignore[arg-type]
            home_community_id="c11",
            capacity=capacity,
        )
        for k, capacity in enumerate([1_000_000, 1])
    ]
    needs = [_need(i, {"role": "social_organization"}) for i in range(2)]
    plan = match(
        needs,
        organizations,
        recipients=[_elder(i) for i in range(2)],
        communities=COMMUNITIES,
        as_of=AS_OF,
    )
    assert len(plan.assignments) == 2
    assert all(a.score.load >= 0 for a in plan.assignments)
    # The roomier organisation scores the higher load-balance points.
    load = {a.actor_id: a.score.load for a in plan.assignments}
    assert load.get("o0", 0) >= load.get("o1", 0)


def test_matching_with_the_largest_amounts_and_a_knapsack_solves():
    funds = [
        CharitableResource.model_validate(_fund("1000000000000")),
        CharitableResource.model_validate(
            {**_fund("999999999999.99"), "resource_id": "f2"}
        ),
    ]
    amounts = ["1000000000000", "500000000000.01", "499999999999.99", "0.01"]
    needs = [
        _need(i, {"role": "resource", "resource_kind": "funds", "amount": a})
        for i, a in enumerate(amounts)
    ]
    plan = match(
        needs,
        funds,
        recipients=[_elder(i) for i in range(len(needs))],
        communities=COMMUNITIES,
        as_of=AS_OF,
    )
    spent: dict[str, Decimal] = {}
    for a in plan.assignments:
        assert a.amount is not None
        spent[a.actor_id] = spent.get(a.actor_id, Decimal(0)) + a.amount
    assert spent["f1"] <= Decimal(1000000000000)
    assert spent.get("f2", Decimal(0)) <= Decimal("999999999999.99")
    assert len(plan.assignments) == 3


def test_matching_a_volunteer_of_a_million_places_with_mixed_time_forms():
    volunteer = _volunteer(
        birth_date="1990-05-05", skills=["elderly_care"], capacity=1_000_000
    )
    needs = [
        _need(
            0, {"role": "volunteers"}, ("2024-07-01T09:00", "2024-07-01T11:00+08:00")
        ),
        _need(1, {"role": "volunteers"}, ("2024-07-01T03:00Z", "2024-07-01T12:00")),
        _need(2, {"role": "volunteers"}, ("1900-01-01T00:00", "2200-12-31T23:00")),
    ]
    plan = match(
        needs,
        [volunteer],
        recipients=[_elder(i) for i in range(3)],
        communities=COMMUNITIES,
        as_of=AS_OF,
    )
    # 09-11 and 11-12 Beijing time do not clash; the two-century window clashes with both.
    assigned = sorted(a.need_id for a in plan.assignments)
    assert assigned in (["n0", "n1"], ["n2"])
    assert len(plan.assignments) + len(plan.unmatched) == 3


# -- through the command line --------------------------------------------------------


def test_the_cli_validates_and_matches_mixed_times_and_rejects_huge_numbers(tmp_path):
    import io  # noqa: PLC0415

    from wushe.cli import EXIT_INVALID_DATA, EXIT_OK, main  # noqa: PLC0415

    def run(*argv: str) -> tuple[int, str]:
        out = io.StringIO()
        return main(list(argv), out=out), out.getvalue()

    window = {"start": "2024-07-01T09:00", "end": "2024-07-01T10:00+08:00"}
    mixed = _write(
        tmp_path, lambda raw: raw["volunteers"][0].update(availability=[window])
    )
    assert run("validate", str(mixed))[0] == EXIT_OK
    assert run("match", str(mixed))[0] == EXIT_OK
    huge = tmp_path / "huge" / "data.json"
    huge.parent.mkdir()
    huge.write_text(
        _write(
            tmp_path, lambda raw: raw["volunteers"][0].update(capacity=2**63)
        ).read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    code, text = run("validate", str(huge))
    assert code == EXIT_INVALID_DATA
    assert "capacity" in text
    assert "Traceback" not in text


def test_the_station_records_bound_their_money_and_counts_too():
    from wushe.models import Household, Spending  # noqa: PLC0415

    with pytest.raises(ValidationError) as e:
        Spending.model_validate(
            {
                "spending_id": "s1",
                "contract_id": "k1",
                "spent_on": "2024-01-01",
                "amount": "1e999999",
            }
        )
    assert "amount" in _field_errors(e.value)
    with pytest.raises(ValidationError) as e:
        Household.model_validate(
            {"household_id": "h1", "community_id": "c1", "size": 2**63}
        )
    assert "size" in _field_errors(e.value)
