"""Fuzz the command line: mutated files, bad paths and bad arguments for every command.

Every case must end with an exit code of 0, 1, 2 or 3, no traceback, and — when it fails —
exactly one ``wushe: error:`` line that names the file or argument at fault, each case
within ``CASE_SECONDS`` (30 s) and the whole run under ``PEAK_MEMORY`` (2 GiB). The run is
bounded and deterministic: ``WUSHE_FUZZ_CASES`` generated cases (default 1500, 15–30 s
on a quiet machine) from ``WUSHE_FUZZ_SEED`` (default 0), stopping early after
``WUSHE_FUZZ_SECONDS`` (default 40). To search longer::

    WUSHE_FUZZ_CASES=100000 WUSHE_FUZZ_SECONDS=600 WUSHE_FUZZ_SEED=7 \
        .venv/bin/pytest tests/test_cli_fuzz.py

A failure prints the case (command line and mutation) and keeps the input files under
pytest's temporary folder, so it can be replayed with ``wushe``.
"""

from __future__ import annotations

import io
import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from wushe import examples
from wushe.cli import EXIT_FILE, EXIT_INVALID_DATA, EXIT_OK, EXIT_USAGE, main

DATA = examples.path("qixinggang").parent
CASES = int(os.environ.get("WUSHE_FUZZ_CASES", "1500"))
BUDGET = float(os.environ.get("WUSHE_FUZZ_SECONDS", "40"))
SEED = int(os.environ.get("WUSHE_FUZZ_SEED", "0"))
CASE_SECONDS = 30.0
"""No single case may take longer than this (in-process, on a busy 2-core machine)."""
PEAK_MEMORY = 2 * 2**30
"""The whole run, in-process with the test session, stays under 2 GiB of memory."""
ALLOWED = {EXIT_OK, EXIT_INVALID_DATA, EXIT_USAGE, EXIT_FILE}
ERROR_PREFIXES = ("wushe: error: ", "wushe: 错误：")


@attrs.frozen
class Case:
    argv: tuple[str, ...]
    """The command line."""
    named: str | None
    """Text the error line must contain if the command fails (a file or an option)."""
    note: str
    """How the case was made, for the failure message."""


# --- mutations of file content --------------------------------------------------------

JUNK_VALUES: list[object] = [
    None, "", " ", -1, 0, 2**63, 2**70, 1e308, -1e308, 1e17, "1e999999", "NaN", True,
    [], {}, "2023-02-30", "0001-01-01T00:00", "9999-12-31T23:59+14:00",
    "2024-01-01T09:00+08:00", "$x$", "$$", "a\\b{c", "<script>alert(1)</script>",
    "=HYPERLINK(\"http://e\")", "x" * 100_000, "行\n| 表 |", "\ud7ff\ufffd", "💥" * 50,
]  # fmt: skip


def _walk(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every path to a value in a JSON document."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _walk(item, (*path, index))
    return found


def _set(document: object, path: tuple[object, ...], value: object) -> object:
    if not path:
        return value
    parent: object = document
    for key in path[:-1]:
        parent = parent[key]  # type: ignore[index]
    parent[path[-1]] = value  # type: ignore[index]
    return document


def mutate_json(rng: random.Random, text: str) -> tuple[bytes, str]:
    """Replace one to three values of a JSON document with junk, or break its keys."""
    document = json.loads(text)
    notes: list[str] = []
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_walk(document))
        value = rng.choice(JUNK_VALUES)
        if path and isinstance(path[-1], str) and rng.random() < 0.15:
            value, notes = {"unexpected": 1}, [*notes, f"{path}=object"]
        else:
            notes.append(f"{path[-3:]}={str(value)[:20]!r}")
        document = _set(document, path, value)
    return json.dumps(document, ensure_ascii=False).encode(), "json " + "; ".join(notes)


def mutate_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Damage the bytes of a file: cut, flip, insert, nest or re-encode it."""
    choice = rng.randrange(9)
    if choice == 0:
        cut = rng.randrange(len(data) + 1)
        return data[:cut], f"truncated at {cut}"
    if choice == 1:
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 10)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        return bytes(damaged), "flipped bytes"
    if choice == 2:
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[
            at:
        ], "inserted junk"
    if choice == 3:
        depth = rng.choice([100, 5_000, 200_000])
        return b"[" * depth + b"]" * depth, f"nested {depth}"
    if choice == 4:
        return data.decode("utf-8", "replace").encode("utf-16"), "utf-16"
    if choice == 5:
        return b"\xef\xbb\xbf" + data, "utf-8 BOM"
    if choice == 6:
        return rng.randbytes(rng.choice([1, 100, 10_000])), "random bytes"
    if choice == 7:
        return b"!!python/object/apply:os.system ['echo owned']\n", "yaml object"
    return b"a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", "yaml aliases"


def mutate(rng: random.Random, source: Path) -> tuple[bytes, str]:
    data = source.read_bytes()
    if source.suffix == ".json" and rng.random() < 0.6:
        return mutate_json(rng, data.decode("utf-8"))
    return mutate_bytes(rng, data)


# --- cases --------------------------------------------------------------------------------


@attrs.define
class Maker:
    """Builds random cases; files it writes live in ``root``."""

    rng: random.Random
    root: Path
    count: int = 0

    def file(self, source: Path, suffix: str | None = None) -> tuple[Path, str]:
        """A mutated copy of ``source`` (sometimes with another suffix)."""
        self.count += 1
        data, note = mutate(self.rng, source)
        target = self.root / f"f{self.count}{suffix or source.suffix}"
        target.write_bytes(data)
        return target, note

    def bad_path(self) -> tuple[Path, str]:
        """A path that is not a readable, non-empty regular file."""
        self.count += 1
        kind = self.rng.randrange(6)
        path = self.root / f"p{self.count}.json"
        if kind == 0:
            return path, "missing"
        if kind == 1:
            path.mkdir()
            return path, "folder"
        if kind == 2:
            path.write_bytes(b"")
            return path, "empty"
        if kind == 3:
            return Path("/dev/null"), "device"
        if kind == 4:
            return self.root / ("n" * 300 + ".json"), "name too long"
        path.write_bytes(b"x")
        return path / "under-a-file.json", "under a file"

    def bad_out(self, *, folder: bool) -> tuple[str, str]:
        """An output path that cannot be written."""
        self.count += 1
        blocker = self.root / f"o{self.count}"
        kind = self.rng.randrange(4)
        if kind == 0 and folder:
            blocker.write_bytes(b"x")
            return str(blocker), "a file where a folder goes"
        if kind == 0:
            blocker.mkdir()
            return str(blocker), "a folder where a file goes"
        if kind == 1:
            blocker.write_bytes(b"x")
            return str(blocker / "sub" / ("x" if folder else "x.json")), "under a file"
        if kind == 2:
            return f"/sys/wushe-fuzz-{self.count}{'' if folder else '.md'}", "read-only"
        return str(self.root / ("o" * 300)), "name too long"

    def out(self, *, folder: bool) -> str:
        self.count += 1
        return str(self.root / (f"out{self.count}" + ("" if folder else ".json")))


DATASET = DATA / "qixinggang.json"
PROJECT = DATA / "qianfeng.json"
POLICY = DATA / "policy.yaml"
SCORES = DATA / "jinniu_scores.json"
RUBRIC = DATA / "rubric_station_review.yaml"
VISITS = Path(__file__).parent / "data" / "visits_small.json"
LEDGER = Path(__file__).parent / "data" / "recipients_small.csv"
SCENARIOS = Path(__file__).parent / "data" / "scenarios_small.json"
BAD_DATES = ["2023-02-30", "2023-13-01", "", "yesterday", "0000-01-01", "9" * 40]
BAD_ARGS = [
    ["--lang", "fr"], ["--no-such-flag"], ["--json", "--json"], ["--lang"],
    ["--strategy", "fastest"], ["--top", "-3"], ["--top", "1e3"], ["--phase", "x"],
]  # fmt: skip


SECONDARY = {
    "match": [("--policy", POLICY)],
    "evaluate": [("--scores", SCORES), ("--rubric", RUBRIC)],
    "care": [("--visits", VISITS)],
    "validate": [("--base", DATASET)],
    "simulate": [
        ("--scenario", SCENARIOS),
        ("--scenario", SCENARIOS),
        ("--policy", POLICY),
    ],
}
OUTPUT = {"match": "--out", "report": "--out", "evaluate": "--out", "demo": "--out",
          "export": "", "store": "--out"}  # fmt: skip
FOLDER_OUTPUT = {"evaluate", "demo", "store"}


def _bad_file(maker: Maker, source: Path) -> tuple[str, str]:
    """A mutated copy of ``source`` (usually) or a path that is no readable file."""
    path, note = maker.file(source) if maker.rng.random() < 0.75 else maker.bad_path()
    return str(path), note


def case_for(maker: Maker, command: str) -> Case:
    """One case for ``command`` with at most one fault, and what its error must name."""
    rng = maker.rng
    source = PROJECT if command == "evaluate" else DATASET
    argv = [command, str(source)]
    if command == "care":
        argv += ["--as-of", "2023-12-31"]
    if command == "evaluate":
        argv += ["--project", "qf-proj-yltx"]
    if command == "store":
        argv += ["--out", maker.out(folder=True)]
    if command == "simulate":  # a second --scenario below replaces this one
        argv += ["--scenario", str(SCENARIOS)]
    folder = command in FOLDER_OUTPUT or (command == "export" and rng.random() < 0.5)
    out = maker.out(folder=folder) if command == "export" else None
    if out is not None and not folder:
        out = out.removesuffix(".json") + rng.choice([".xlsx", ".csv", ".json"])
    if command == "validate" and rng.random() < 0.4:
        source = LEDGER
        argv = [command, str(LEDGER), "--base", str(DATASET)]
    fault = rng.choice(
        ["none", "input", "input", "input", "secondary", "output", "argument"]
    )
    if fault == "secondary" and command == "validate":
        argv = [command, str(LEDGER)]
    named: str | None = None
    note = fault
    if fault == "input":
        argv[1], note = _bad_file(maker, source)
        named = argv[1]
    elif fault == "secondary" and command in SECONDARY:
        option, second = rng.choice(SECONDARY[command])
        value, note = _bad_file(maker, second)
        argv += [option, value]
        named = value
    elif fault == "output" and command in OUTPUT:
        value, note = maker.bad_out(folder=folder)
        if command == "export":
            out = value if folder else value.removesuffix(".json") + ".xlsx"
            value = out
        elif command == "store":
            argv[argv.index("--out") + 1] = value
        else:
            argv += [OUTPUT[command], value]
        named = value
    elif fault == "argument":
        bad = rng.choice(
            [*BAD_ARGS, ["--as-of", rng.choice(BAD_DATES)], ["--project", "p" * 5000]]
        )
        argv += bad
        named = None if bad == ["--json", "--json"] else bad[0]
        note = f"bad argument {[b[:20] for b in bad]}"
    if rng.random() < 0.3:
        argv.append("--json")
    if out is not None:
        argv.insert(2, out)
        if out.endswith(".csv"):  # a CSV file holds one ledger
            argv += ["--kind", "recipients"]
    return Case(tuple(argv), named, note)


COMMANDS = [
    "validate",
    "match",
    "evaluate",
    "report",
    "care",
    "export",
    "schema",
    "demo",
    "store",
    "run",
    "simulate",
]
WEIGHTS = [4, 4, 3, 3, 3, 3, 1, 1, 1, 1, 3]


def run_case(maker: Maker) -> Case:
    """``wushe run`` on what is not a store: it must fail before a cluster starts."""
    path, note = maker.bad_path()
    if maker.rng.random() < 0.3:
        path = maker.root / f"s{maker.count}"
        path.mkdir()
        (path / "manifest.json").write_bytes(mutate_bytes(maker.rng, b'{"x": 1}')[0])
        note = "damaged manifest"
    if maker.rng.random() < 0.2:  # a cluster of no workers would wait for ever
        workers = maker.rng.choice(["0", "-1", "x"])
        argv = ("run", str(path), "--as-of", "2023-12-31", "--workers", workers)
        return Case(argv, "--workers", "no workers")
    return Case(("run", str(path), "--as-of", "2023-12-31"), str(path), note)


def generated_cases(rng: random.Random, root: Path) -> Callable[[], Case]:
    maker = Maker(rng=rng, root=root)

    def next_case() -> Case:
        command = rng.choices(COMMANDS, WEIGHTS)[0]
        if command == "schema":
            model = rng.choice(["Dataset", "recipient", "", "x" * 5000, "$$", "--list"])
            return Case(("schema", model), None, "schema")
        if command == "run":
            return run_case(maker)
        return case_for(maker, command)

    return next_case


# --- the checks ---------------------------------------------------------------------------


def check(case: Case) -> None:
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    code = main(list(case.argv), out=out, err=err)
    seconds = time.perf_counter() - started
    text = out.getvalue() + err.getvalue()
    where = f"\ncase: {case.note}\nargv: {[a[:200] for a in case.argv]}\nstderr: {err.getvalue()[:2000]}"
    assert code in ALLOWED, f"exit code {code}{where}"
    assert "Traceback" not in text, where
    errors = [
        line for line in err.getvalue().splitlines() if line.startswith(ERROR_PREFIXES)
    ]
    if "--json" in case.argv and out.getvalue():
        json.loads(out.getvalue())  # --json output is one JSON document, or nothing
    if code == EXIT_OK:
        assert errors == [], where
    else:
        assert len(errors) == 1, where
        if case.named is not None:
            assert case.named in errors[0], where
        assert len(errors[0]) < 2_000, where
    assert seconds < CASE_SECONDS, f"took {seconds:.1f} s{where}"


def test_generated_bad_inputs_never_escape_as_tracebacks(tmp_path):
    rng = random.Random(SEED)
    next_case = generated_cases(rng, tmp_path)
    started = time.monotonic()
    ran = 0
    while ran < CASES and time.monotonic() - started < BUDGET:
        check(next_case())
        ran += 1
    print(f"{ran} generated cases in {time.monotonic() - started:.1f} s")
    assert ran > 0
    assert _peak_memory() < PEAK_MEMORY, f"peak memory {_peak_memory() / 2**30:.2f} GiB"


def _peak_memory() -> int:
    """The test process's peak resident memory in bytes (Linux reports kilobytes)."""
    resource = pytest.importorskip("resource")
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_survives_its_own_handful_of_cases(tmp_path, command):
    rng = random.Random(f"{SEED}-{command}")
    maker = Maker(rng=rng, root=tmp_path)
    for _ in range(3 if command != "demo" else 1):
        if command == "schema":
            check(Case(("schema", rng.choice(["x" * 5000, "$$"])), None, "schema"))
        elif command == "run":
            check(run_case(maker))
        else:
            check(case_for(maker, command))
