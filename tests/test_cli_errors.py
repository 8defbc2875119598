"""The command line fails with one clear line and a documented exit code, never a traceback."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from wushe import cli, examples
from wushe.cli import (
    EXIT_BROKEN_PIPE,
    EXIT_FILE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID_DATA,
    EXIT_OK,
    EXIT_USAGE,
    main,
)
from wushe.cli._app import _COMMANDS

DATA = examples.path("qixinggang").parent
EXAMPLE = str(DATA / "qixinggang.json")
PROJECT = str(DATA / "qianfeng.json")
ERROR_PREFIXES = ("wushe: error: ", "wushe: 错误：")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def error_line(err: str) -> str:
    """The one error line of a failed command; fails when there are none or several."""
    lines = [line for line in err.splitlines() if line.startswith(ERROR_PREFIXES)]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# Every command with its minimal valid arguments, the input path at position 1.
COMMANDS = {
    "validate": ["validate", EXAMPLE],
    "match": ["match", EXAMPLE],
    "evaluate": ["evaluate", PROJECT, "--project", "qf-proj-yltx"],
    "report": ["report", EXAMPLE],
    "care": ["care", EXAMPLE, "--as-of", "2023-12-31"],
    "export": ["export", EXAMPLE, "OUT.xlsx"],
    "demo": ["demo", EXAMPLE, "--out", "OUT"],
    "store": ["store", EXAMPLE, "--out", "OUT"],
}


def with_input(name: str, path: str, tmp_path: Path) -> list[str]:
    argv = [a.replace("OUT", str(tmp_path / "out")) for a in COMMANDS[name]]
    argv[1] = path
    return argv


@pytest.fixture
def junk(tmp_path: Path) -> dict[str, Path]:
    files = {
        "missing": tmp_path / "absent.json",
        "folder": tmp_path / "folder.json",
        "empty": tmp_path / "empty.json",
        "binary": tmp_path / "binary.json",
        "truncated": tmp_path / "truncated.json",
    }
    files["folder"].mkdir()
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 16)
    files["truncated"].write_bytes(Path(EXAMPLE).read_bytes()[:500])
    return files


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("missing", EXIT_FILE),
        ("folder", EXIT_FILE),
        ("empty", EXIT_INVALID_DATA),
        ("binary", EXIT_INVALID_DATA),
        ("truncated", EXIT_INVALID_DATA),
    ],
)
def test_a_bad_input_file_gets_its_exit_code_and_one_line_naming_it(
    name, kind, code, junk, tmp_path
):
    if name == "validate" and kind == "folder":
        pytest.skip("validate reads a folder of ledgers")
    path = junk[kind]
    result, _, err = run(*with_input(name, str(path), tmp_path))
    assert result == code, err
    assert str(path) in error_line(err)
    assert not (tmp_path / "out").exists()


def test_a_missing_file_is_distinct_from_invalid_data_and_usage(tmp_path):
    assert len({EXIT_OK, EXIT_INVALID_DATA, EXIT_USAGE, EXIT_FILE}) == 4
    code, _, err = run("match", EXAMPLE, "--policy", str(tmp_path / "none.yaml"))
    assert code == EXIT_FILE
    assert "none.yaml: no such file" in error_line(err)


@pytest.mark.parametrize(
    ("option", "content"),
    [
        ("--policy", b"!!python/object/apply:os.system ['echo owned']\n"),
        ("--policy", b'{"weights": {"proximity": '),
        ("--policy", b"\xff\xfe\x00junk"),
    ],
)
def test_a_bad_policy_file_is_invalid_data_naming_the_file(tmp_path, option, content):
    policy = tmp_path / ("p.yaml" if content.startswith(b"!!") else "p.json")
    policy.write_bytes(content)
    code, out, err = run("match", EXAMPLE, option, str(policy))
    assert code == EXIT_INVALID_DATA
    assert str(policy) in error_line(err)
    assert "owned" not in out + err


@pytest.mark.parametrize(
    ("option", "name", "content"),
    [
        ("--scores", "s.yaml", b"- !!python/object:os.system {}\n"),
        ("--scores", "s.json", b'[{"evaluator_id": 1}]'),
        ("--scores", "s.json", b"\xff\xfe\xfa"),
        ("--rubric", "r.yaml", b"rubric_id: [unclosed\n"),
        ("--rubric", "r.json", b'{"rubric_id": "x"}'),
    ],
)
def test_bad_rubric_and_score_files_are_invalid_data_naming_the_file(
    tmp_path, option, name, content
):
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run(*COMMANDS["evaluate"], option, str(path))
    assert code == EXIT_INVALID_DATA, err
    assert str(path) in error_line(err)


def test_a_missing_rubric_file_is_a_file_error_and_a_bare_word_a_usage_error(tmp_path):
    code, _, err = run(*COMMANDS["evaluate"], "--rubric", str(tmp_path / "r.yaml"))
    assert (code, "r.yaml" in error_line(err)) == (EXIT_FILE, True)
    code, _, err = run(*COMMANDS["evaluate"], "--rubric", "no_such_rubric")
    assert code == EXIT_USAGE
    assert "no_such_rubric" in error_line(err)


def test_a_bad_visit_log_given_explicitly_names_the_file(tmp_path):
    log = tmp_path / "visits.json"
    log.write_bytes(b'{"visits": [{"visit_id": "v", "visited_at": "2023-01-01T09:00", ')
    code, _, err = run(*COMMANDS["care"], "--visits", str(log))
    assert code == EXIT_INVALID_DATA
    assert str(log) in error_line(err)
    code, _, err = run(*COMMANDS["care"], "--visits", str(tmp_path / "none.json"))
    assert code == EXIT_FILE


@pytest.mark.parametrize(
    "argv",
    [
        ["care", EXAMPLE, "--as-of", "2023-02-30"],
        ["care", EXAMPLE, "--as-of", ""],
        ["care", EXAMPLE, "--top", "-1", "--as-of", "2023-01-01"],
        ["run", str(DATA), "--as-of", "2023-12-31", "--workers", "0"],
        ["run", str(DATA), "--as-of", "2023-12-31", "--workers", "-1"],
        ["match", EXAMPLE, "--as-of", "yesterday"],
        ["match", EXAMPLE, "--lang", "fr"],
        ["match", EXAMPLE, "--strategy", "fastest"],
        ["evaluate", PROJECT, "--project", "qf-proj-yltx", "--phase", "any"],
        ["report", EXAMPLE, "--format", "pdf"],
        ["validate"],
        ["no-such-command"],
        [],
        ["schema", "--no-such-flag"],
    ],
)
def test_usage_errors_are_one_line_and_exit_2(argv):
    code, out, err = run(*argv)
    assert code == EXIT_USAGE
    line = error_line(err)
    assert "--help" in line
    assert "usage:" not in err + out


@pytest.mark.parametrize(
    "argv",
    [
        ["match", EXAMPLE, "--explain", "n" * 100_000],
        ["evaluate", PROJECT, "--project", "p" * 100_000],
        ["schema", "M" * 100_000],
        ["match", EXAMPLE, "--strategy", "s" * 100_000],
        ["care", EXAMPLE, "--as-of", "9" * 100_000],
    ],
)
def test_huge_ids_are_cut_short_in_the_error(argv):
    code, _, err = run(*argv)
    assert code == EXIT_USAGE
    assert len(error_line(err)) < 500


def test_help_goes_to_the_output_and_exits_0():
    code, out, err = run("match", "--help")
    assert code == EXIT_OK
    assert "--policy" in out
    assert err == ""


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "a-file"
    path.write_text("x", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("argv", "out_arg"),
    [
        (["match", EXAMPLE, "--out"], "{file}/plan.json"),
        (["match", EXAMPLE, "--out"], "{folder}"),
        (["report", EXAMPLE, "--out"], "{file}/sub/report.md"),
        (["report", EXAMPLE, "--out"], "{folder}"),
        (["evaluate", PROJECT, "--project", "qf-proj-yltx", "--out"], "{file}"),
        (["evaluate", PROJECT, "--project", "qf-proj-yltx", "--out"], "{file}/x"),
        (["demo", EXAMPLE, "--out"], "{file}"),
        (["demo", EXAMPLE, "--out"], "{file}/report"),
        (["export", EXAMPLE], "{file}/ledgers.xlsx"),
        (["export", EXAMPLE], "{file}/ledgers"),
        (["export", EXAMPLE], "{folder}/../{folder_name}"),
    ],
)
def test_an_unwritable_out_exits_3_naming_it_before_any_work(
    argv, out_arg, a_file, tmp_path
):
    folder = tmp_path / "folder.md"
    folder.mkdir()
    target = out_arg.format(file=a_file, folder=folder, folder_name=folder.name)
    if argv[0] == "export" and "folder" in out_arg:
        target = str(folder / "x.csv")
        (folder / "x.csv").mkdir()
    code, out, err = run(*argv, target)
    assert code == EXIT_FILE, err
    assert target in error_line(err) or str(Path(target)) in error_line(err)
    assert out == ""


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs a read-only /sys")
@pytest.mark.parametrize(
    "argv",
    [
        ["match", EXAMPLE, "--out", "/sys/wushe-test/plan.json"],
        ["report", EXAMPLE, "--out", "/sys/wushe-test.md"],
        ["evaluate", PROJECT, "--project", "qf-proj-yltx", "--out", "/sys/wushe-test"],
        ["demo", EXAMPLE, "--out", "/sys/wushe-test"],
        ["export", EXAMPLE, "/sys/wushe-test"],
        ["export", EXAMPLE, "/sys/wushe-test.xlsx"],
    ],
)
def test_a_folder_the_system_will_not_write_to_exits_3(argv):
    if os.access("/sys", os.W_OK) and Path("/sys/wushe-test").exists():
        pytest.skip("/sys is writable here")
    code, _, err = run(*argv)
    assert code == EXIT_FILE, err
    assert "/sys/wushe-test" in error_line(err)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to read-only folders")
def test_a_read_only_folder_exits_3(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = run("demo", EXAMPLE, "--out", str(locked / "report"))
        assert code == EXIT_FILE
        assert "permission denied" in error_line(err).lower()
    finally:
        locked.chmod(0o700)


def test_demo_creates_no_folder_when_the_data_is_invalid(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "division_code": "500103", "needs": [{}]}', "utf-8")
    code, _, err = run("demo", str(bad), "--out", str(tmp_path / "report"))
    assert code == EXIT_INVALID_DATA
    assert str(bad) in error_line(err)
    assert not (tmp_path / "report").exists()


def test_the_load_report_of_a_failed_command_goes_to_standard_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "division_code": "500103", "needs": [{}]}', "utf-8")
    code, out, err = run("report", str(bad))
    assert (code, out) == (EXIT_INVALID_DATA, "")
    assert "need_id" in err
    assert str(bad) in error_line(err)


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_output_pipe_exits_quietly():
    err = io.StringIO()
    code = main(["schema"], out=ClosedPipe(), err=err)
    assert code == EXIT_BROKEN_PIPE
    assert err.getvalue() == ""


@pytest.fixture
def failing_command() -> Iterator[list[BaseException]]:
    raised: list[BaseException] = []

    @cli.command("explode", help="raise what the test asks for")
    def _explode(args, console):
        raise raised[0]

    yield raised
    del _COMMANDS["explode"]


def test_ctrl_c_exits_130_with_one_line(failing_command):
    failing_command.append(KeyboardInterrupt())
    code, _, err = run("explode")
    assert code == EXIT_INTERRUPTED
    assert error_line(err).endswith("interrupted")


def test_a_bug_is_one_line_that_says_so_and_hides_the_message(
    failing_command, monkeypatch
):
    monkeypatch.delenv("WUSHE_DEBUG", raising=False)
    failing_command.append(ZeroDivisionError("钱桂芳 500103194103150222"))
    code, out, err = run("explode")
    assert code == EXIT_INTERNAL
    line = error_line(err)
    assert "bug in wushe" in line
    assert "ZeroDivisionError" in line
    assert re.search(r"ZeroDivisionError in \w+\.py:\d+", line)
    assert "reporting-a-bug" in line
    assert "钱桂芳" not in out + err
    assert "500103194103150222" not in out + err


def test_debug_shows_the_traceback(failing_command, monkeypatch):
    failing_command.append(ZeroDivisionError("boom"))
    code, _, err = run("explode", "--debug")
    assert code == EXIT_INTERNAL
    assert "Traceback" in err
    assert "boom" in err
    monkeypatch.setenv("WUSHE_DEBUG", "1")
    code, _, err = run("explode")
    assert "Traceback" in err
    code, _, err = run("--debug", "explode")
    assert "Traceback" in err


# A real user's standard output is buffered; a buffer still full at exit is where Python
# would complain about a closed pipe.
ENV = {
    k: v for k, v in os.environ.items() if k not in ("WUSHE_DEBUG", "PYTHONUNBUFFERED")
}


def wushe(*argv: str, **kwargs) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wushe", *argv],
        capture_output=True,
        timeout=120,
        check=False,
        env=ENV,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("argv", "code", "named"),
    [
        (["validate", "/no/such/file.json"], EXIT_FILE, "/no/such/file.json"),
        (["care", EXAMPLE, "--as-of", "2023-13-01"], EXIT_USAGE, "--as-of"),
        (["match", "/dev/null"], EXIT_FILE, "/dev/null"),
        (["report", EXAMPLE, "--out", EXAMPLE + "/x.md"], EXIT_FILE, EXAMPLE),
    ],
)
def test_the_real_process_exits_with_the_code_and_one_stderr_line(argv, code, named):
    result = wushe(*argv)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == code
    assert named in error_line(stderr)
    assert len(stderr.splitlines()) == 1


def test_piping_into_head_leaves_no_broken_pipe_message():
    process = subprocess.Popen(
        [sys.executable, "-m", "wushe", "schema", "Dataset"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert process.stdout is not None
    assert process.stdout.read(10)
    process.stdout.close()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode in (EXIT_OK, EXIT_BROKEN_PIPE)
    assert stderr == b""


@pytest.mark.parametrize("argv", [["schema", "--list"], ["validate", EXAMPLE]])
@pytest.mark.parametrize("buffered", [True, False])
def test_a_reader_that_closes_at_once_leaves_no_message(argv, buffered):
    env = ENV if buffered else {**ENV, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "wushe", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    process.stdout.close()
    _, stderr = process.communicate(timeout=120)
    assert stderr == b""
    assert process.returncode == EXIT_BROKEN_PIPE


def test_an_engine_error_quoting_a_huge_value_is_cut_to_one_short_line(tmp_path):
    scores = tmp_path / "scores.json"
    sheet = '[{"evaluator_id": "e1", "role": "third_party", "phase": "final", '
    scores.write_text(
        sheet + '"ratings": {"finance.budget": "' + "x" * 100_000 + '"}}]'
    )
    code, _, err = run(*COMMANDS["evaluate"], "--scores", str(scores))
    assert code == EXIT_INVALID_DATA
    line = error_line(err)
    assert str(scores) in line
    assert len(line) <= 520


@pytest.mark.parametrize(
    ("kind", "code"),
    [("missing", EXIT_FILE), ("file", EXIT_FILE), ("not a store", EXIT_INVALID_DATA)],
)
def test_run_needs_a_store_folder(tmp_path, kind, code):
    store = {"missing": tmp_path / "absent", "file": Path(EXAMPLE)}.get(kind, tmp_path)
    result, _, err = run("run", str(store), "--as-of", "2023-12-31")
    assert result == code, err
    assert str(store) in error_line(err)


@pytest.mark.parametrize("command", ["report", "match"])
def test_an_output_that_is_also_the_input_is_refused(tmp_path, command):
    data = tmp_path / "d.json"
    data.write_bytes(Path(EXAMPLE).read_bytes())
    code, _, err = run(command, str(data), "--out", str(tmp_path / "." / "d.json"))
    assert code == EXIT_USAGE
    assert "also an input" in error_line(err)
    assert data.read_bytes() == Path(EXAMPLE).read_bytes()


def test_an_os_error_without_a_file_says_what_happened(failing_command):
    failing_command.append(TimeoutError("Timed out trying to connect to tcp://x:1"))
    code, _, err = run("explode")
    assert code == EXIT_FILE
    assert "TimeoutError: Timed out trying to connect" in error_line(err)
