from __future__ import annotations

import io
import json
import sys
import unicodedata
from pathlib import Path

import pytest

import wushe
from wushe import examples
from wushe.cli import (
    EXIT_FILE,
    EXIT_INVALID_DATA,
    EXIT_OK,
    EXIT_USAGE,
    Console,
    main,
    progress,
    progress_callback,
)
from wushe.cli._lang import LANGS, argv_lang, default_lang, parse_lang
from wushe.io import export_ledgers

EXAMPLE = str(examples.path("qixinggang.json"))


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_validate_accepts_the_example():
    code, text = run("validate", EXAMPLE)
    assert code == EXIT_OK
    assert "no issues" in text


def test_validate_reports_bad_data_with_exit_code_1(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"name": "x", "division_code": "500103", "recipients": [{"recipient_id": "p"}]}',
        encoding="utf-8",
    )
    code, text = run("validate", str(bad), "--json")
    assert code == EXIT_INVALID_DATA
    issues = json.loads(text)["issues"]
    assert {i["field"] for i in issues} >= {"name", "community_id"}


def test_usage_errors_exit_with_2():
    assert run("no-such-command")[0] == EXIT_USAGE
    assert run("schema", "NoSuchModel")[0] == EXIT_USAGE


def test_schema_prints_json_schema_with_sensitive_markers():
    code, text = run("schema", "Recipient")
    assert code == EXIT_OK
    schema = json.loads(text)
    assert (
        schema["properties"]["id_number"]["anyOf"][0]["x-sensitive"]
        == "identity number"
    )


def run_err(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_messages_follow_lang():
    assert "未发现问题" in run("validate", EXAMPLE, "--lang", "zh")[1]
    assert "no issues" in run("validate", EXAMPLE, "--lang", "en")[1]


def test_validate_reads_ledgers_into_a_base_and_names_the_bad_row(tmp_path):
    ledger = tmp_path / "服务对象.csv"
    ledger.write_text(
        "服务对象编号,姓名,身份证号,所在社区\n"
        "n1,钱桂芳,500103194103150222,qxg-c02\n"
        "n2,冯德明,500103195807220132,qxg-c05\n",
        encoding="utf-8",
    )
    code, text = run("validate", str(ledger), "--base", EXAMPLE, "--json")
    assert code == EXIT_INVALID_DATA
    (issue,) = json.loads(text)["issues"]
    assert (issue["row"], issue["record_id"], issue["field"]) == (3, "n2", "id_number")
    assert "500103195807220132" not in text
    code, table = run("validate", str(ledger), "--base", EXAMPLE, "--lang", "zh")
    assert code == EXIT_INVALID_DATA
    assert "原因代码" in table
    assert "冯德明" not in table


def test_missing_extra_names_the_pip_command_and_exits_2(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    code, _, err = run_err("export", EXAMPLE, str(tmp_path / "out.xlsx"))
    assert code == EXIT_USAGE
    assert "pip install 'wushe[xlsx]'" in err


def test_an_output_format_whose_extra_is_missing_stops_the_command_before_any_work(
    tmp_path, monkeypatch
):
    ledgers = tmp_path / "ledgers"
    export_ledgers(examples.load("qixinggang"), ledgers, reveal=True, reason="test")
    monkeypatch.setitem(sys.modules, "yaml", None)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    imported = tmp_path / "new" / "district.yaml"
    code, out, err = run_err(
        "import", str(ledgers), "--base", EXAMPLE, "--out", str(imported)
    )
    assert (code, out) == (EXIT_USAGE, "")
    assert "pip install 'wushe[yaml]'" in err
    workbook = tmp_path / "new" / "ledgers.xlsx"
    code, out, err = run_err("export", EXAMPLE, str(workbook))
    assert (code, out) == (EXIT_USAGE, "")
    assert "pip install 'wushe[xlsx]'" in err
    assert not (tmp_path / "new").exists()


def test_export_masks_by_default_and_warns_when_revealing(tmp_path):
    code, out, err = run_err("export", EXAMPLE, str(tmp_path / "ledgers"))
    assert code == EXIT_OK
    assert "服务对象.csv" in out
    text = (tmp_path / "ledgers" / "服务对象.csv").read_text(encoding="utf-8-sig")
    assert "钱桂芳" not in text
    code, _, err = run_err(
        "export", EXAMPLE, str(tmp_path / "r.csv"), "--kind", "recipients", "--reveal"
    )
    assert code == EXIT_OK
    assert "clear" in err
    assert "钱桂芳" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


def test_export_hsds_and_unknown_kind(tmp_path):
    code, out = run("export", EXAMPLE, str(tmp_path / "hsds"), "--hsds", "--json")
    assert code == EXIT_OK
    assert len(json.loads(out)["written"]) == 4
    code, _, err = run_err(
        "export", EXAMPLE, str(tmp_path / "x.xlsx"), "--kind", "nope"
    )
    assert code == EXIT_USAGE
    assert "nope" in err


def test_schema_lists_models_and_ignores_case():
    code, text = run("schema", "--list", "--json")
    assert code == EXIT_OK
    assert "Recipient" in json.loads(text)
    assert json.loads(run("schema", "recipient")[1])["title"] == "Recipient"


def test_demo_runs_the_district_end_to_end_and_writes_the_report_folder(tmp_path):
    code, text = run("demo", "--lang", "zh", "--out", str(tmp_path))
    assert code == EXIT_OK
    assert "报告已写入" in text
    for name in (
        "report.md",
        "report.html",
        "match-plan.json",
        "evaluation.md",
        "station-tree.png",
        "evaluation.png",
    ):
        assert (tmp_path / name).exists(), name
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert (
        "| 金牛区社会工作总站（合计） | 21 | 312 | 918 | 84 | 186 | 25,075 | 241,575 |"
        in report
    )
    assert "等级：优秀" in report
    assert "(exact)" not in report
    assert "目标值" not in report
    assert "需求匹配（五社联动）" in report
    assert "2023-01-01 起巡访 25,075 人次" in report


def test_demo_json_lists_the_files(tmp_path):
    code, text = run("demo", EXAMPLE, "--json", "--out", str(tmp_path))
    assert code == EXIT_OK
    payload = json.loads(text)
    assert str(tmp_path / "report.html") in payload["files"]


def test_bad_dataset_error_exits_1(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x"}', encoding="utf-8")
    code, _, err = run_err("export", str(bad), str(tmp_path / "o.xlsx"))
    assert code == EXIT_INVALID_DATA
    assert "division_code" in err
    assert not (tmp_path / "o.xlsx").exists()


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_only_on_a_terminal():
    tty, pipe = FakeTTY(), io.StringIO()
    assert list(progress(range(5), label="匹配", stream=tty, interval=0)) == list(
        range(5)
    )
    assert "5/5" in tty.getvalue()
    assert list(progress(range(5), stream=pipe)) == list(range(5))
    assert pipe.getvalue() == ""


def test_progress_callback_draws_stages_on_a_terminal_and_erases_them():
    tty = FakeTTY()
    draw = progress_callback(tty, interval=0)
    assert draw is not None
    draw("match.solve", 0, 4)
    draw("match.solve", 2, 4)
    assert "match.solve" in tty.getvalue()
    assert "2/4" in tty.getvalue()
    draw("match.solve", 4, 4)
    assert tty.getvalue().endswith("\r")
    assert progress_callback(io.StringIO()) is None


def test_match_shows_its_progress_on_a_terminal_only():
    tty = FakeTTY()
    code = main(["match", EXAMPLE], out=io.StringIO(), err=tty)
    assert code == EXIT_OK
    assert "match.solve" in tty.getvalue()
    pipe = io.StringIO()
    assert main(["match", EXAMPLE], out=io.StringIO(), err=pipe) == EXIT_OK
    assert "match." not in pipe.getvalue()


def test_console_table_aligns_chinese_text():
    out = io.StringIO()
    Console(out=out, err=io.StringIO()).table(
        ["名称", "n"], [("七星岗", 1), ("ab", 22)]
    )
    lines = out.getvalue().splitlines()

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in text)

    assert width(lines[2]) == width(lines[3]) == width(lines[1])


def test_match_prints_roles_and_reasons_and_writes_the_plan(tmp_path):
    out = tmp_path / "plan.json"
    code, text = run("match", EXAMPLE, "--out", str(out), "--explain", "qxg-n01")
    assert code == EXIT_OK
    assert "remain open" in text
    assert "qxg-n01" in text
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert {a["need_id"] for a in plan["assignments"]} <= {
        "qxg-n01",
        "qxg-n02",
        "qxg-n03",
    }
    assert "钱桂芳" not in out.read_text(encoding="utf-8")


def test_match_json_output_is_the_plan_and_unknown_need_is_a_usage_error():
    code, text = run("match", EXAMPLE, "--json", "--strategy", "greedy")
    assert code == EXIT_OK
    assert json.loads(text)["strategy"] == "greedy"
    assert run("match", EXAMPLE, "--explain", "no-such-need")[0] == EXIT_USAGE


def test_match_on_invalid_data_exits_1(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"name": "x", "division_code": "500103", "needs": [{}]}', encoding="utf-8"
    )
    assert run("match", str(bad))[0] == EXIT_INVALID_DATA


JINNIU = str(examples.path("jinniu.json"))
SCORES = str(examples.path("jinniu_scores.json"))


def test_evaluate_scores_grades_and_writes_the_report(tmp_path):
    code, text = run(
        "evaluate", JINNIU, "--project", "jn-proj-system", "--scores", SCORES,
        "--out", str(tmp_path), "--lang", "zh",
    )  # fmt: skip
    assert code == EXIT_OK
    assert "等级：优秀" in text
    assert (tmp_path / "jn-proj-system-final.md").exists()


def test_evaluate_without_score_sheets_lists_missing_evidence_and_gives_no_grade():
    code, text = run("evaluate", JINNIU, "--project", "jn-proj-system")
    assert code == EXIT_OK
    assert "Not graded: evidence is missing for" in text
    assert "no evaluator rated this item" in text


def test_evaluate_unknown_project_or_rubric_is_a_usage_error():
    assert run("evaluate", EXAMPLE, "--project", "nope")[0] == EXIT_USAGE
    assert (
        run("evaluate", JINNIU, "--project", "jn-proj-system", "--rubric", "nope")[0]
        == EXIT_USAGE
    )


def test_report_prints_markdown_or_writes_html(tmp_path):
    code, text = run("report", EXAMPLE, "--lang", "zh")
    assert code == EXIT_OK
    assert "覆盖情况（应建尽建）" in text
    out = tmp_path / "report.html"
    assert run("report", EXAMPLE, "--format", "html", "--out", str(out))[0] == EXIT_OK
    assert "<table>" in out.read_text(encoding="utf-8")
    code, text = run("report", EXAMPLE, "--json")
    assert json.loads(text)[1]["title"].startswith("Coverage")


def test_care_lists_overdue_warnings_and_rates_without_names():
    code, text = run(
        "care", JINNIU, "--as-of", "2023-12-31", "--top", "3", "--lang", "zh"
    )
    assert code == EXIT_OK
    assert "逾期未访" in text
    assert "巡访率" in text
    assert "金牛区社会工作总站" in text
    code, text = run("care", JINNIU, "--as-of", "2023-12-31", "--json")
    payload = json.loads(text)
    assert payload["overdue"]
    assert all("name" not in w for w in payload["warnings"])


def test_care_with_a_bad_visit_log_exits_1_naming_the_row(tmp_path):
    log = tmp_path / "visits.json"
    log.write_text(
        '{"visits": [{"visit_id": "x1", "recipient_id": "p", "visited_at": "no"}]}',
        encoding="utf-8",
    )
    code, _, err = run_err(
        "care", JINNIU, "--as-of", "2023-12-31", "--visits", str(log)
    )
    assert code == EXIT_INVALID_DATA
    assert "visits row 1 [x1].visited_at" in err


def test_demo_with_a_missing_dataset_exits_3_and_creates_no_folder(tmp_path):
    out = tmp_path / "report"
    code, _, err = run_err("demo", str(tmp_path / "absent.json"), "--out", str(out))
    assert code == EXIT_FILE
    assert f"{tmp_path / 'absent.json'}: no such file" in err
    assert not out.exists()
    assert "examples/data" not in err


def test_match_reads_a_policy_file():
    policy = str(examples.path("policy.yaml"))
    code, text = run("match", EXAMPLE, "--policy", policy, "--json")
    assert code == EXIT_OK
    assert json.loads(text)["objective"] >= 0
    code, text = run(
        "match", EXAMPLE, "--policy", policy, "--strategy", "greedy", "--json"
    )
    assert json.loads(text)["strategy"] == "greedy"


def test_version_prints_the_installed_version(capsys):
    assert main(["--version"]) == EXIT_OK
    assert capsys.readouterr().out.strip() == f"wushe {wushe.__version__}"


HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) $a$ {"


def _hostile_copy(source: str, target: Path, ids: dict[str, str]) -> Path:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    for key in ("stations", "communities", "projects"):
        for record in data.get(key, []):
            record["name"] = f"{HOSTILE}\n# {record['name']}"
    text = json.dumps(data, ensure_ascii=False)
    for old, new in ids.items():
        text = text.replace(f'"{old}', f'"{new}')
    target.write_text(text, encoding="utf-8")
    return target


def test_demo_and_evaluate_survive_hostile_names_and_ids(tmp_path):
    pytest.importorskip("matplotlib")
    district = _hostile_copy(EXAMPLE, tmp_path / "d.json", {"qxg-": "qxg${$-"})
    code, _, err = run_err("demo", str(district), "--out", str(tmp_path / "demo"))
    assert code == EXIT_OK, err
    report = (tmp_path / "demo" / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in report
    assert "[x](javascript:" not in report
    assert (tmp_path / "demo" / "station-tree.png").exists()
    qianfeng = str(Path(EXAMPLE).with_name("qianfeng.json"))
    project = _hostile_copy(qianfeng, tmp_path / "p.json", {"qf-proj": "qf${$proj"})
    code, _, err = run_err(
        "evaluate",
        str(project),
        "--project",
        "qf${$proj-yltx",
        "--out",
        str(tmp_path / "ev"),
    )
    assert code == EXIT_OK, err
    assert list((tmp_path / "ev").glob("*.png"))
    assert "<script>" not in next((tmp_path / "ev").glob("*.md")).read_text("utf-8")


def test_one_lang_type_decides_from_the_option_then_the_environment(monkeypatch):
    assert LANGS == ("zh", "en")
    assert default_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"WUSHE_LANG": "en", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_lang({}) == "en"
    assert (parse_lang("zh"), parse_lang("ZH"), parse_lang(None)) == ("zh", None, None)
    monkeypatch.setenv("WUSHE_LANG", "en")
    assert argv_lang(["care", "--lang=zh"]) == "zh"
    assert argv_lang(["care", "--lang", "fr"]) == "en"
    code, _, err = run_err("care", "x.json", "--as-of", "nope", "--lang", "zh")
    assert code == EXIT_USAGE
    assert err.startswith("wushe: 错误：")


def test_care_checks_each_visit_against_the_households_it_loaded(tmp_path):
    # `wushe care` hands its dataset to the visit-log loader (#12): a visit naming a
    # household its recipient never belonged to is rejected at its row and column.
    from tests.io.test_care import HOUSEHOLDS, visit, write_log  # noqa: PLC0415
    from wushe.io import dump_dataset  # noqa: PLC0415

    data = dump_dataset(HOUSEHOLDS, tmp_path / "district.json")
    log = write_log(tmp_path / "visits.json", [visit("v1", "p3", "2024-03-31", "h1")])
    code, _, err = run_err(
        "care", str(data), "--as-of", "2024-04-30", "--visits", str(log)
    )
    assert code == EXIT_INVALID_DATA
    assert "household_id" in err
    assert "v1" in err
