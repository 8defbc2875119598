"""Small station networks for engine tests: built from a few stations, or cut to one station."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wushe.models import Community, Dataset, Division, Station
from wushe.network import StationNetwork


def network_of(
    stations: Iterable[Station], communities: Mapping[str, str]
) -> StationNetwork:
    """The network of ``stations`` over communities given as id → 12-digit division code.

    Every community lies in the district ``510106``; the streets they and the stations sit
    in are registered as divisions.
    """
    chosen = tuple(stations)
    streets = sorted(
        {code[:9] for code in communities.values()}
        | {s.division_code[:9] for s in chosen if len(s.division_code) >= 9}
    )
    ds = Dataset(
        name="测试区",
        division_code="510106",
        divisions=(
            Division(division_code="510106", name="区"),
            *(Division(division_code=code, name=f"街道{code}") for code in streets),
        ),
        communities=tuple(
            Community(community_id=cid, name=f"社区{cid}", division_code=code)
            for cid, code in sorted(communities.items())
        ),
        stations=chosen,
    )
    return StationNetwork.from_dataset(ds)


def scoped(network: StationNetwork, station_id: str) -> StationNetwork:
    """The network of one station and every station below it, over the same dataset.

    What a street's own run would build from a street-level dataset: the station becomes a
    root, links to stations outside are dropped, and communities outside its jurisdiction
    stay in the dataset with no station covering them.
    """
    keep = network.descendants(station_id) | {station_id}
    stations = tuple(
        s.model_copy(update={"parent_ids": tuple(p for p in s.parent_ids if p in keep)})
        for s in network.stations
        if s.station_id in keep
    )
    return StationNetwork.from_dataset(
        network.dataset.model_copy(update={"stations": stations})
    )
