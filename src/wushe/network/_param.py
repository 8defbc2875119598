"""Check the ``network`` argument the engines take (网络参数检查).

Matching, care and evaluation take the station hierarchy one way only: a keyword
``network`` that is a :class:`~wushe.network.StationNetwork` or ``None``. This module holds
the one check they share, so a mapping, a list of stations or a dataset passed by mistake
gets the same clear message everywhere instead of failing somewhere deep inside.
"""

from __future__ import annotations

from wushe.network._network import StationNetwork

__all__: list[str] = []  # internal: the engines import network_param from here


def network_param(value: object, *, caller: str) -> StationNetwork | None:
    """Return ``value`` when it is a network or ``None``; raise otherwise (网络参数).

    Raises:
        TypeError: naming ``caller``'s ``network`` parameter, the type given and what to
            pass instead.
    """
    if value is None or isinstance(value, StationNetwork):
        return value
    msg = (
        f"{caller}(network=...) takes a wushe.network.StationNetwork or None, "
        f"not {type(value).__name__}; build one with StationNetwork.from_dataset(dataset)"
    )
    raise TypeError(msg)
