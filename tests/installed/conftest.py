"""The session's environments: the wheel with its core dependencies, and with the extras."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.installed.environment import EXTRAS, ROOT, Installed, install, pip


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from the repository by ``pip wheel``."""
    dist = tmp_path_factory.mktemp("wheel")
    assert not dist.is_relative_to(ROOT)
    pip("wheel", ROOT, "--no-deps", "--quiet", "--wheel-dir", dist)
    (built,) = dist.glob("wushe-*.whl")
    return built


@pytest.fixture(scope="session")
def _environments(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    wheel: Path,
) -> Iterator[dict[str, Future[Installed]]]:
    """Install the wheel into each environment a selected test needs, side by side."""
    base = tmp_path_factory.mktemp("installed-wheel")
    wanted = {"installed": "", "installed_extras": EXTRAS}
    selected = {
        n for item in request.session.items for n in getattr(item, "fixturenames", ())
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield {
            name: pool.submit(install, base / name, wheel, extras)
            for name, extras in wanted.items()
            if name in selected
        }


@pytest.fixture(scope="session")
def installed(_environments: dict[str, Future[Installed]]) -> Installed:
    """The wheel with its core dependencies only."""
    return _environments["installed"].result()


@pytest.fixture(scope="session")
def installed_extras(_environments: dict[str, Future[Installed]]) -> Installed:
    """The same wheel with the ``dask``, ``plot``, ``xlsx`` and ``yaml`` extras."""
    return _environments["installed_extras"].result()
