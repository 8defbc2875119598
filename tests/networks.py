"""Small station networks for engine tests, built from a few stations.

To cut a network to one station and what is below it, use
:meth:`wushe.network.StationNetwork.subnetwork`.
"""

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
