"""Open Referral HSDS 3.0 export of the service directory (服务目录导出).

The Human Services Data Specification describes who offers which services where. wushe
maps social organisations to ``organization``, built stations to ``location``, each
organisation's service fields and each service project to ``service``, and links them with
``service_at_location``. Nothing about a person is exported: workers, volunteers and
recipients are not part of a public directory.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, Final

from wushe.models import Dataset, ServiceProject, SocialOrganization, Station
from wushe.vocab import ServiceCategory, StationStatus

__all__ = ["HSDS_VERSION", "export_hsds", "to_hsds"]

HSDS_VERSION: Final = "3.0"
"""The HSDS version the export follows (HSDS 版本)."""

# Fixed namespace so that the same wushe record always gets the same HSDS uuid.
_NAMESPACE: Final = uuid.UUID("6a1c0f3e-5b1d-5e0a-9f3b-77757368652e")
_TABLES: Final = ("organization", "service", "location", "service_at_location")
_CODE_SCHEME: Final = "GB/T 2260 / 统计用区划代码"


def _id(ds: Dataset, *parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join((ds.division_code, *parts))))


def _category_attribute(
    ds: Dataset, link: str, category: ServiceCategory
) -> dict[str, Any]:
    return {
        "id": _id(ds, "attribute", link, category.value),
        "link_id": link,
        "link_type": "service_category",
        "link_entity": "service",
        "taxonomy_term_id": _id(ds, "taxonomy_term", category.value),
        "taxonomy_term": {
            "id": _id(ds, "taxonomy_term", category.value),
            "code": category.value,
            "name": category.zh,
            "description": f"{category.zh} ({category.en})",
            "taxonomy": "wushe.vocab.ServiceCategory",
            "language": "zh",
        },
    }


def _organization(ds: Dataset, org: SocialOrganization) -> dict[str, Any]:
    oid = _id(ds, "organization", org.organization_id)
    traits = [org.org_type.zh, org.registration.zh]
    traits += [
        label
        for flag, label in (
            (org.is_social_work_agency, "社会工作服务机构"),
            (org.is_charitable, "慈善组织"),
            (org.has_public_fundraising, "具有公开募捐资格"),
            (org.is_hub, "枢纽型社会组织"),
        )
        if flag
    ]
    if org.rating is not None:
        until = f"，有效期至 {org.rating_valid_until}" if org.rating_valid_until else ""
        traits.append(f"评估等级 {org.rating.value}{until}")
    identifiers = [
        {
            "id": _id(ds, "organization_identifier", org.organization_id, "wushe"),
            "organization_id": oid,
            "identifier_type": "wushe organization_id",
            "identifier": org.organization_id,
        }
    ]
    if org.credit_code is not None:
        identifiers.append(
            {
                "id": _id(ds, "organization_identifier", org.organization_id, "uscc"),
                "organization_id": oid,
                "identifier_type": "统一社会信用代码 (unified social credit code)",
                "identifier": org.credit_code,
            }
        )
    return {
        "id": oid,
        "name": org.name,
        "description": "；".join(traits),
        "legal_status": f"{org.org_type.zh}（{org.registration.zh}）",
        "organization_identifiers": identifiers,
    }


def _location(ds: Dataset, station: Station) -> dict[str, Any]:
    lid = _id(ds, "location", station.station_id)
    location: dict[str, Any] = {
        "id": lid,
        "location_type": "physical",
        "name": station.name,
        "description": station.level.zh,
        "external_identifier": station.division_code,
        "external_identifier_type": _CODE_SCHEME,
    }
    if station.local_name:
        location["alternate_name"] = station.local_name
    if station.operator_id is not None:
        location["organization_id"] = _id(ds, "organization", station.operator_id)
    if station.address:
        location["addresses"] = [
            {
                "id": _id(ds, "address", station.station_id),
                "location_id": lid,
                "address_1": station.address,
                "city": "",
                "region": ds.name,
                "state_province": "",
                "postal_code": "",
                "country": "CN",
                "address_type": "physical",
            }
        ]
    return location


def _service_areas(
    ds: Dataset, sid: str, codes: Iterable[str], names: dict[str, str]
) -> list[dict[str, Any]]:
    return [
        {
            "id": _id(ds, "service_area", sid, code),
            "service_id": sid,
            "name": names.get(code, code),
            "description": f"{_CODE_SCHEME} {code}",
            "extent_type": "text",
        }
        for code in sorted(codes)
    ]


def _project_status(project: ServiceProject, as_of: date) -> str:
    return "active" if project.period.includes(as_of) else "inactive"


def to_hsds(
    ds: Dataset, *, as_of: date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Map a dataset's service directory to HSDS 3.0 tables (服务目录 HSDS 映射).

    Ids are UUIDs (version 5) derived from the dataset's division code and the wushe id, so
    a re-export gives every record the same id; the wushe id itself is kept as an
    ``organization_identifiers`` entry or the location's ``external_identifier`` scheme.
    The mapping table is in the HSDS reference page of the documentation.

    Args:
        ds: The dataset.
        as_of: Day that decides whether a project's service is ``active``; defaults to
            the dataset's ``as_of``, then today.

    Returns:
        The four tables ``organization``, ``service``, ``location`` and
        ``service_at_location``, each a list of JSON-ready dicts in id order of the
        wushe records.

    Examples:
        >>> from wushe import examples
        >>> tables = to_hsds(examples.load("qixinggang"))
        >>> {name: len(rows) for name, rows in tables.items()}
        {'organization': 1, 'service': 4, 'location': 9, 'service_at_location': 4}
    """
    day = as_of or ds.as_of or date.today()
    names = {d.division_code: d.name for d in ds.divisions}
    names |= {c.division_code: c.name for c in ds.communities}
    organizations = sorted(ds.organizations, key=lambda o: o.organization_id)
    stations = sorted(
        (s for s in ds.stations if s.status is StationStatus.BUILT),
        key=lambda s: s.station_id,
    )
    links: _Links = {}
    services = _organization_services(ds, organizations, stations, names, links)
    services += _project_services(ds, stations, day, names, links)
    return {
        "organization": [_organization(ds, o) for o in organizations],
        "service": services,
        "location": [_location(ds, s) for s in stations],
        "service_at_location": list(links.values()),
    }


_Links = dict[tuple[str, str], dict[str, Any]]


def _link(
    ds: Dataset, links: _Links, sid: str, station: Station, description: str
) -> None:
    """Record that service ``sid`` is delivered at ``station``, keeping the first description."""
    lid = _id(ds, "location", station.station_id)
    links.setdefault(
        (sid, lid),
        {
            "id": _id(ds, "service_at_location", sid, lid),
            "service_id": sid,
            "location_id": lid,
            "description": description,
        },
    )


def _organization_services(
    ds: Dataset,
    organizations: list[SocialOrganization],
    stations: list[Station],
    names: dict[str, str],
    links: _Links,
) -> list[dict[str, Any]]:
    """One service per organization and category, linked to the stations it operates."""
    by_operator: dict[str, list[Station]] = {}
    for station in stations:
        if station.operator_id is not None:
            by_operator.setdefault(station.operator_id, []).append(station)
    services: list[dict[str, Any]] = []
    for org in organizations:
        oid = _id(ds, "organization", org.organization_id)
        for category in sorted(org.services, key=lambda c: c.value):
            sid = _id(ds, "service", org.organization_id, category.value)
            services.append(
                {
                    "id": sid,
                    "organization_id": oid,
                    "name": f"{org.name}·{category.zh}",
                    "description": f"{org.name}提供的{category.zh}",
                    "status": "active",
                    "service_areas": _service_areas(ds, sid, org.service_area, names),
                    "attributes": [_category_attribute(ds, sid, category)],
                }
            )
            for station in by_operator.get(org.organization_id, []):
                _link(ds, links, sid, station, f"{org.name}运营{station.name}")
    return services


def _project_services(
    ds: Dataset,
    stations: list[Station],
    day: date,
    names: dict[str, str],
    links: _Links,
) -> list[dict[str, Any]]:
    """One service per purchased project, linked to its built stations."""
    station_ids = {s.station_id: s for s in stations}
    services: list[dict[str, Any]] = []
    for project in sorted(ds.projects, key=lambda p: p.project_id):
        sid = _id(ds, "service", "project", project.project_id)
        services.append(
            {
                "id": sid,
                "organization_id": _id(ds, "organization", project.operator_id),
                "name": project.name,
                "description": f"{project.channel.zh}项目，购买方{project.funder}，"
                f"{project.period.start}至{project.period.end}",
                "status": _project_status(project, day),
                "funding": [
                    {
                        "id": _id(ds, "funding", project.project_id),
                        "service_id": sid,
                        "source": project.funder,
                    }
                ],
                "service_areas": _service_areas(
                    ds,
                    sid,
                    [
                        c.division_code
                        for c in ds.communities
                        if c.community_id in set(project.community_ids)
                    ],
                    names,
                ),
                "attributes": [
                    _category_attribute(ds, sid, c)
                    for c in sorted(project.categories, key=lambda c: c.value)
                ],
            }
        )
        for station_id in project.station_ids:
            if station_id in station_ids:
                _link(
                    ds, links, sid, station_ids[station_id], f"{project.name}实施站点"
                )
    return services


def export_hsds(
    ds: Dataset, path: str | Path, *, as_of: date | None = None
) -> tuple[Path, ...]:
    """Write the service directory as HSDS 3.0 JSON (导出 HSDS 服务目录).

    A ``path`` ending in ``.json`` gets one object holding the four tables; any other path
    is a folder that gets ``organization.json``, ``service.json``, ``location.json`` and
    ``service_at_location.json``, each a JSON array. The output holds no personal data.

    Returns:
        The files written.
    """
    tables = to_hsds(ds, as_of=as_of)
    path = Path(path)
    if path.suffix.lower() == ".json":
        document = {"hsds_version": HSDS_VERSION, **tables}
        path.write_text(
            json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        return (path,)
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for name in _TABLES:
        target = path / f"{name}.json"
        target.write_text(
            json.dumps(tables[name], ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
        written.append(target)
    return tuple(written)
