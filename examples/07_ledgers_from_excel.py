"""Import a station's Excel ledgers and publish its service directory (从 Excel 台账导入).

Seed 000: 重庆市渝中区七星岗街道. A station worker keeps two ledgers in one workbook — 服务对象
(recipients) and 活动台账 (activities) — with Chinese headers, a title row and dates typed
as 2022/3/18 or 2022年3月19日. One row has a mistyped ID number. The script writes that
workbook (CSV files when the ``xlsx`` extra is missing), merges it into the street's
dataset, prints the load report with every sensitive value masked, and exports the
directory of organisations, stations and services as HSDS 3.0 JSON.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from wushe import examples
from wushe.codes import id_check_character
from wushe.io import export_hsds, ledger_report

OUT = Path(os.environ.get("WUSHE_OUTPUT_DIR", "out")) / "07_ledgers"


def resident_id(first17: str) -> str:
    return first17 + id_check_character(first17)


def mistyped_id(first17: str) -> str:
    right = id_check_character(first17)
    return first17 + ("1" if right != "1" else "2")


RECIPIENTS = [
    ["2022年七星岗街道服务对象台账"],
    [
        "序号",
        "编号",
        "姓名",
        "身份证号",
        "所在社区",
        "对象类别",
        "联系电话",
        "认定日期",
    ],
    [
        "1",
        "qxg-p11",
        "周玉兰",
        resident_id("50010319400612032"),
        "qxg-c01",
        "独居老人、高龄老人",
        "13800001111",
        "2022/3/1",
    ],
    [
        "2",
        "qxg-p12",
        "吴国华",
        resident_id("50010319550101011"),
        "qxg-c03",
        "低保对象；残疾人",
        "",
        "2022年3月2日",
    ],
    # The check digit is wrong: this row is reported, masked, and not imported.
    [
        "3",
        "qxg-p13",
        "郑小红",
        mistyped_id("50010319520303031"),
        "qxg-c04",
        "空巢老人",
        "",
        "2022-03-02",
    ],
]
ACTIVITIES = [
    ["记录编号", "活动类型", "日期", "所属站点", "活动名称", "场次", "服务人次"],
    ["qxg-a21", "巡访", "2022/3/18", "qxg-r01", "独居老人走访", "1", "6"],
    ["qxg-a22", "小组", "2022年3月19日", "qxg-r03", "长者手工小组", "2", "24"],
]


def write_ledgers(recipients: list[list[str]]) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        from openpyxl import Workbook  # noqa: PLC0415 - optional: fall back to CSV
    except ImportError:
        paths = []
        for name, rows in (("服务对象", recipients), ("活动台账", ACTIVITIES)):
            path = OUT / f"{name}.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as f:
                csv.writer(f).writerows(rows)
            paths.append(path)
        return paths
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in (("服务对象", recipients), ("活动台账", ACTIVITIES)):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = OUT / "七星岗街道台账.xlsx"
    book.save(path)
    return [path]


def main() -> None:
    ledgers = write_ledgers(RECIPIENTS)
    print("ledgers written:", ", ".join(p.name for p in ledgers))
    street = examples.load("qixinggang")
    report = ledger_report(ledgers, base=street)
    print(report.summary())
    # The worker fixes the workbook by dropping the bad row until the ID is checked.
    ledgers = write_ledgers(RECIPIENTS[:-1])
    fixed = ledger_report(ledgers, base=street)
    assert fixed.dataset is not None, fixed.summary()
    ds = fixed.dataset
    print(
        f"after the fix: {len(ds.recipients)} recipients, {len(ds.activities)} activities"
    )
    paths = export_hsds(ds, OUT / "hsds")
    print("HSDS 3.0 directory:", ", ".join(p.name for p in paths))


if __name__ == "__main__":
    main()
