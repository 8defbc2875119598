"""Find and load the example files shipped as package data (示例数据文件)."""

from __future__ import annotations

import atexit
import contextlib
from importlib import resources
from pathlib import Path

from wushe.exceptions import WusheError
from wushe.io import load_dataset
from wushe.models import Dataset

__all__ = ["ExampleNotFoundError", "files", "load", "names", "path"]

_LOCALITIES = (
    "hubei",
    "jinniu",
    "jiulong",
    "qianfeng",
    "qixinggang",
    "shanxi",
    "wengan",
    "yibin",
)
_COMPANIONS = (
    "jinniu_scores.json",
    "jinniu_visits.json",
    "policy.yaml",
    "rubric_station_review.yaml",
)
# The temporary copies made when wushe runs from a zip archive; made and closed lazily.
_EXTRACTED: list[contextlib.ExitStack] = []


class ExampleNotFoundError(WusheError, KeyError):
    """No example file by that name ships with wushe (示例数据不存在).

    Also a :class:`KeyError`, as for a missing key in any other lookup.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        shown = ", ".join(files())
        super().__init__(f"no example named {name!r}; the examples are: {shown}")

    def __str__(self) -> str:
        return str(self.args[0])


def names() -> tuple[str, ...]:
    """Name every seed locality that :func:`load` accepts, sorted (示例辖区名称).

    Returns:
        The short names, e.g. ``"jinniu"`` for 成都市金牛区.
    """
    return _LOCALITIES


def files() -> tuple[str, ...]:
    """Name every example file that :func:`path` accepts, sorted (示例文件名称).

    Returns:
        The file names: one dataset per locality and the companion files.
    """
    return tuple(sorted((*(f"{n}.json" for n in _LOCALITIES), *_COMPANIONS)))


def path(name: str) -> Path:
    """Return the path of an example file on the local file system (示例文件路径).

    Args:
        name: A locality from :func:`names` (its dataset file) or a file name from
            :func:`files`, e.g. ``"jinniu_visits.json"``.

    Returns:
        A path that exists for as long as the interpreter runs: the installed file itself,
        or a temporary copy when wushe is imported from a zip archive.

    Raises:
        ExampleNotFoundError: if no example has that name.
    """
    filename = f"{name}.json" if name in _LOCALITIES else name
    if filename not in files():
        raise ExampleNotFoundError(name)
    resource = resources.files("wushe.examples").joinpath("data", filename)
    if isinstance(resource, Path):
        return resource
    return _extract(resource)  # pragma: no cover - only from a zip archive


def _extract(resource: resources.abc.Traversable) -> Path:
    if not _EXTRACTED:
        _EXTRACTED.append(contextlib.ExitStack())
        atexit.register(_EXTRACTED[0].close)
    return _EXTRACTED[0].enter_context(resources.as_file(resource))


def load(name: str) -> Dataset:
    """Load a seed locality as a validated dataset (加载示例数据集).

    Args:
        name: One of :func:`names`, e.g. ``"jinniu"``.

    Returns:
        The dataset, with every personal field masked by default as always.

    Raises:
        ExampleNotFoundError: if ``name`` is not a seed locality.
    """
    if name not in _LOCALITIES:
        raise ExampleNotFoundError(name)
    return load_dataset(path(name))
