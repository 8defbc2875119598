"""A seeded synthetic province, county by county, as revealed dataset records.

Used by the scale tests and by ``benchmarks/scale.py``. Every code below the province is
synthetic; every person is fictitious; ID numbers carry valid check characters.
:func:`cached_province` streams a province of any size into a partitioned store, one county
per process of a pool at a time (the same store whatever the pool's size), and keeps it on
disk, named by its parameters.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import random
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from wushe.care import VisitRecord
from wushe.codes import id_check_character
from wushe.io import StoreWriter
from wushe.models import Dataset

PROVINCE = "510000"
SKILLS = ["elderly_care", "social_assistance", "psychosocial", "disability_support"]
GROUPS: dict[str, list[str]] = {
    "elderly_care": ["独居老人"],
    "social_assistance": ["低保对象"],
    "psychosocial": ["空巢老人"],
    "disability_support": ["残疾人"],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "华明丽芳军伟秀英敏静强磊洋艳勇杰娟涛超霞平刚桂"


def county_codes(counties: int) -> list[str]:
    """Six-digit county codes: 20 counties per city under province 51."""
    return [f"51{1 + i // 20:02d}{1 + i % 20:02d}" for i in range(counties)]


def _person_id(county: str, born: date, seq: int) -> str:
    first17 = f"{county}{born:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_character(first17)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))


def make_county(
    county: str,
    *,
    streets: int = 3,
    communities: int = 4,
    recipients: int = 10,
    seed: int = 0,
    year: int = 2024,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One county's records and its visit log, in the JSON form ``load_dataset`` reads."""
    rng = random.Random(f"{county}-{seed}")
    p = f"c{county}"
    divisions = [
        {"division_code": county, "name": f"{county}县", "synthetic_code": True}
    ]
    divisions += [
        {
            "division_code": f"{county}{s:03d}",
            "name": f"{county}第{s}街道",
            "synthetic_code": True,
        }
        for s in range(1, streets + 1)
    ]
    comms, stations, workers, volunteers, people, needs, acts, visits = (
        [] for _ in range(8)
    )
    org: dict[str, Any] = {"organization_id": f"{p}-org", "name": f"{county}社工服务中心", "is_social_work_agency": True,
           "services": SKILLS, "capacity": 5}  # fmt: skip
    stations.append({"station_id": f"{p}-hub", "name": f"{county}社工总站", "level": "county",
                     "division_code": county, "criteria_met": ["site", "equipment", "staff"]})  # fmt: skip
    for s in range(1, streets + 1):
        street = f"{county}{s:03d}"
        sid = f"{p}-s{s}"
        stations.append({"station_id": sid, "name": f"{street}社工站", "level": "township",
                         "division_code": street, "parent_ids": [f"{p}-hub"], "operator_id": org["organization_id"],
                         "criteria_met": rng.sample(["site", "equipment", "staff", "service_functions", "workflow", "rules"], rng.randint(4, 6))})  # fmt: skip
        for w in range(1, 3):
            workers.append({"worker_id": f"{sid}-w{w}", "name": _name(rng), "qualification": "assistant",
                            "organization_id": org["organization_id"], "station_id": sid,
                            "skills": rng.sample(SKILLS, 2), "caseload": rng.randint(2, 4)})  # fmt: skip
        ids = [f"{p}-s{s}c{c}" for c in range(1, communities + 1)]
        for c, cid in enumerate(ids, start=1):
            comms.append({"community_id": cid, "name": f"{street}第{c}社区", "division_code": f"{street}{c:03d}",
                          "synthetic_code": True, "adjacent_ids": [x for x in ids if abs(ids.index(x) - (c - 1)) == 1]})  # fmt: skip
            room = f"{cid}-room"
            stations.append({"station_id": room, "name": f"{cid}社工室", "level": "village", "division_code": f"{street}{c:03d}",
                             "parent_ids": [sid], "community_ids": [cid], "criteria_met": ["site", "staff"]})  # fmt: skip
            volunteers.append({"volunteer_id": f"{cid}-v1", "name": _name(rng), "home_community_id": cid,
                               "skills": rng.sample(SKILLS, 2), "capacity": 2, "vetted": True, "insured": True})  # fmt: skip
            # Consent to what matching shares (#10), drawing nothing from rng.
            consents = [{"purpose": p, "valid_from": f"{year}-01-01"} for p in ("casework", "share_with_volunteers")]  # fmt: skip
            for r in range(recipients):
                born = date(
                    rng.randint(1935, 1965), rng.randint(1, 12), rng.randint(1, 28)
                )
                category = rng.choice(SKILLS)
                rid = f"{cid}-p{r}"
                people.append({"recipient_id": rid, "name": _name(rng), "community_id": cid,
                               "target_groups": GROUPS[category], "id_number": _person_id(county, born, r),
                               "consents": consents})  # fmt: skip
                if rng.random() < 0.2:
                    roles: list[dict[str, Any]] = [{"role": "lead_social_worker"}]
                    if rng.random() < 0.5:
                        roles.append({"role": "volunteers", "count": 1})
                    needs.append({"need_id": f"{rid}-n", "recipient_id": rid, "category": category,
                                  "raised_on": f"{year}-05-{rng.randint(1, 28):02d}", "roles": roles})  # fmt: skip
                for m in range(1, 7):
                    if rng.random() < 0.7:
                        at = datetime(year, m, rng.randint(1, 28), rng.randint(8, 17))
                        visits.append({"visit_id": f"{rid}-vis{m}", "recipient_id": rid, "visited_at": at.isoformat(),
                                       "station_id": room})  # fmt: skip
            for m in range(1, 7):
                acts.append({"activity_id": f"{room}-a{m}", "activity_type": rng.choice(["group_activity", "community_event", "care_visit"]),
                             "held_on": (date(year, m, 1) + timedelta(days=rng.randint(0, 27))).isoformat(),
                             "station_id": room, "community_id": cid, "sessions": rng.randint(1, 4),
                             "person_times": rng.randint(5, 60)})  # fmt: skip
    data = {"name": f"{county}县", "division_code": county, "synthetic": True, "as_of": f"{year}-06-30",
            "divisions": divisions, "communities": comms, "organizations": [org], "workers": workers,
            "volunteers": volunteers, "recipients": people, "needs": needs, "stations": stations, "activities": acts}  # fmt: skip
    return data, {"visits": visits, "incidents": []}


def make_province(
    counties: int, **kwargs: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Several counties merged into one province-level dataset and visit log."""
    merged: dict[str, Any] = {"name": "合成省", "division_code": PROVINCE, "synthetic": True,
                              "as_of": "2024-06-30"}  # fmt: skip
    log: dict[str, Any] = {"visits": [], "incidents": []}
    merged["divisions"] = [
        {"division_code": PROVINCE, "name": "合成省", "synthetic_code": True}
    ]
    for code in county_codes(counties):
        data, visits = make_county(code, **kwargs)
        for key, value in data.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
        log["visits"].extend(visits["visits"])
    return merged, log


# ---------------------------------------------------------------------------------------
# A province too big for memory: generated county by county straight into a store.

GENERATOR_VERSION = 2
"""Bump when the records :func:`make_county` writes or the store layout change, so cached
stores are rebuilt (2: store layout 2, #16)."""

COMMUNITIES_PER_STREET = 14


def county_shape(recipients: int, stations: int = 150) -> dict[str, int]:
    """Streets, communities per street and recipients per community for one county.

    A county has one county hub, ``streets`` street stations and one room per community, so
    about ``stations`` stations, and at least ``recipients`` recipients (rounded up to
    whole communities). 150 stations and 25,000 recipients a county give the issue's
    province: 200 counties, 30 k stations, 5 M recipients, about 1 M needs.
    """
    if recipients < 1 or stations < 3:
        msg = f"a county needs ≥ 1 recipient and ≥ 3 stations, not {recipients}, {stations}"
        raise ValueError(msg)
    per_street = min(COMMUNITIES_PER_STREET, stations - 2)
    streets = max(1, round((stations - 1) / (per_street + 1)))
    return {
        "streets": streets,
        "communities": per_street,
        "recipients": -(-recipients // (streets * per_street)),
    }


def write_province(
    path: Path,
    *,
    counties: int,
    recipients: int,
    stations: int = 150,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Generate a province county by county into a store at ``path``; return the totals.

    A pool of ``workers`` processes writes each county as a store of its own and this
    process adopts them in county order (:meth:`wushe.io.StoreWriter.adopt`). Each county
    is generated from its own seed (its code and ``seed``) in a process with a fixed hash
    seed, so the store is the same byte for byte whatever ``workers`` is. Memory holds one
    county per process, never the province. ``recipients`` and ``stations`` are per county.

    The totals count the records and say how long generation took: ``seconds`` in all and
    ``county_cpu_s``, the mean CPU seconds one county took in its process.
    """
    shape = county_shape(recipients, stations)
    totals: dict[str, Any] = dict.fromkeys(
        ("counties", "recipients", "needs", "stations", "visits"), 0
    )
    codes = county_codes(counties)
    pieces = path.parent / f".{path.name}.pieces"
    if pieces.exists():  # left by a generation cut off half way
        shutil.rmtree(pieces)
    started, cpu = time.perf_counter(), 0.0
    with StoreWriter(path, name="合成省", division_code=PROVINCE) as writer:
        for done, (code, counts) in enumerate(
            _generated(codes, shape, seed, workers, pieces), start=1
        ):
            writer.adopt(pieces / code)
            totals["counties"] += 1
            for name in ("recipients", "needs", "stations", "visits"):
                totals[name] += counts[name]
            cpu += counts["cpu_s"]
            if progress is not None:
                progress(done, len(codes))
    if pieces.exists():
        pieces.rmdir()
    totals["seconds"] = round(time.perf_counter() - started, 2)
    totals["county_cpu_s"] = round(cpu / max(1, len(codes)), 3)
    totals["workers"] = workers
    return totals


def _generated(
    codes: list[str], shape: dict[str, int], seed: int, workers: int, pieces: Path
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each county's counts, in county order, once its piece is written."""
    job = functools.partial(_county_piece, pieces=pieces, shape=shape, seed=seed)
    spawn = multiprocessing.get_context("spawn")  # never fork a process with threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        with _fixed_hash_seed():
            counts = pool.map(
                job, codes
            )  # submits every county: the processes start now
        yield from zip(codes, counts, strict=True)


@contextmanager
def _fixed_hash_seed() -> Iterator[None]:
    """Processes started inside get ``PYTHONHASHSEED=0``.

    A dataset dump lists a set's members in the order the process's string hashes give,
    and that order changes with every interpreter's random seed: the same county written
    by two processes differs in the order of its skills and services. With one seed for
    every process that writes, the store is the same whatever the number of workers.
    """
    before = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = "0"
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTHONHASHSEED"]
        else:
            os.environ["PYTHONHASHSEED"] = before


def _county_piece(
    code: str, *, pieces: Path, shape: dict[str, int], seed: int
) -> dict[str, Any]:
    """One county written as a store of its own under ``pieces``; runs in a pool process."""
    with StoreWriter(pieces / code, name=code, division_code=PROVINCE) as piece:
        return _county_into(piece, code, shape, seed)


def _county_into(
    writer: StoreWriter, code: str, shape: dict[str, int], seed: int
) -> dict[str, Any]:
    """Generate one county, validate it and add it to ``writer``; return its counts."""
    started = time.process_time()
    data, log = make_county(code, seed=seed, **shape)
    ds = Dataset.model_validate(data)
    visits = _VISIT_LOG.validate_python(log["visits"])
    writer.add(ds, visits=visits)
    counts: dict[str, Any] = {
        n: len(data[n]) for n in ("recipients", "needs", "stations")
    }
    counts["visits"] = len(visits)
    counts["cpu_s"] = time.process_time() - started
    return counts


_VISIT_LOG: TypeAdapter[list[VisitRecord]] = TypeAdapter(list[VisitRecord])


def cached_province(
    cache: Path,
    *,
    counties: int,
    recipients: int,
    stations: int = 150,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Path, dict[str, Any]]:
    """The store for these parameters under ``cache``, generated on first use.

    The folder is named by the parameters and the generator version; it counts as built
    only once ``totals.json`` is written after the manifest, so a generation cut off half
    way is started again rather than reused.
    """
    params = {"counties": counties, "recipients": recipients, "stations": stations,
              "seed": seed, "generator": GENERATOR_VERSION}  # fmt: skip
    name = "province-" + "-".join(f"{k[0]}{v}" for k, v in params.items())
    store = cache / name
    done = store / "totals.json"
    if done.exists():
        return store, json.loads(done.read_text(encoding="utf-8"))
    if store.exists():
        shutil.rmtree(store)
    totals = write_province(
        store, counties=counties, recipients=recipients, stations=stations,
        seed=seed, workers=workers, progress=progress,
    )  # fmt: skip
    done.write_text(json.dumps({**params, **totals}), encoding="utf-8")
    return store, {**params, **totals}
