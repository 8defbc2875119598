"""Load-report messages in the clerk's language (加载报告文案).

One table, keyed by reason code: pydantic's error types (``missing``, ``enum``,
``date_from_datetime_parsing`` …) and wushe's own codes (``unknown_reference``,
``impossible_date``, ``unknown_column`` …). Each entry holds the Chinese text and, when the
English message carries values (a length, a referenced id, a column), the pattern that
picks them out of it. English messages are the ones the checks write; a message whose
code is not in the table stays as it is.

Validator messages of the models (``value_error``) are keyed by their English text in a
second, smaller table; the fields they name are how a record-level rule finds its column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from wushe.models import COLLECTIONS, Dataset
from wushe.vocab import Lang

__all__: list[str] = []  # used by the ledger reader only


_DATE_HINT = "请写成 2024-03-01、2024/3/1 或 2024年3月1日"


@attrs.frozen
class Message:
    """The Chinese text of one reason code, and how to read its values (文案条目)."""

    zh: str
    """Chinese template; ``{name}`` slots are filled from ``pattern`` (中文模板)."""
    pattern: re.Pattern[str] | None = None
    """Named groups that pick the values out of the English message (取值模式)."""


def _m(zh: str, pattern: str | None = None) -> Message:
    return Message(zh=zh, pattern=re.compile(pattern) if pattern else None)


_NOT_A_DATE = _m(f"不是日期；{_DATE_HINT}")
_NOT_A_TIME = _m("不是日期时间；请写成 2024-03-01 09:30")

MESSAGES: dict[str, Message] = {
    # pydantic error types
    "missing": _m("必填，但没有填写"),
    "enum": _m("不是可选的取值"),
    "literal_error": _m("不是可选的取值"),
    "bool_parsing": _m("应填“是”或“否”"),
    "bool_type": _m("应填“是”或“否”"),
    "int_parsing": _m("应为整数"),
    "int_type": _m("应为整数"),
    "int_from_float": _m("应为整数，不能有小数"),
    "float_parsing": _m("应为数字"),
    "float_type": _m("应为数字"),
    "decimal_parsing": _m("应为数字"),
    "decimal_type": _m("应为数字"),
    "finite_number": _m("应为有限的数字"),
    "greater_than": _m("应大于 {n}", r"greater than (?P<n>\S+)"),
    "greater_than_equal": _m("应不小于 {n}", r"greater than or equal to (?P<n>\S+)"),
    "less_than": _m("应小于 {n}", r"less than (?P<n>\S+)"),
    "less_than_equal": _m("应不大于 {n}", r"less than or equal to (?P<n>\S+)"),
    "string_type": _m("应为文字"),
    "string_too_short": _m("至少要有 {n} 个字", r"at least (?P<n>\d+)"),
    "string_too_long": _m("最多 {n} 个字", r"at most (?P<n>\d+)"),
    "string_pattern_mismatch": _m("格式不对"),
    "too_short": _m("至少要有 {n} 项", r"at least (?P<n>\d+)"),
    "too_long": _m("最多 {n} 项", r"at most (?P<n>\d+)"),
    "date_parsing": _NOT_A_DATE,
    "date_type": _NOT_A_DATE,
    "date_from_datetime_parsing": _NOT_A_DATE,
    "date_from_datetime_inexact": _m("应为日期，不带时间"),
    "datetime_parsing": _NOT_A_TIME,
    "datetime_type": _NOT_A_TIME,
    "datetime_from_date_parsing": _NOT_A_TIME,
    "list_type": _m("应为一组取值"),
    "set_type": _m("应为一组取值"),
    "tuple_type": _m("应为一组取值"),
    "frozen_set_type": _m("应为一组取值"),
    "dict_type": _m("格式不对：应为一组“名称：取值”"),
    "model_type": _m("格式不对：应为一组“名称：取值”"),
    "model_attributes_type": _m("格式不对：应为一组“名称：取值”"),
    "union_tag_invalid": _m("类型不是可选的取值"),
    "union_tag_not_found": _m("缺少类型"),
    "extra_forbidden": _m("不是这张表的字段"),
    "value_error": _m("取值无效"),
    "assertion_error": _m("取值无效"),
    # wushe's own codes
    "impossible_date": _m(
        "日期不存在：{month} 月没有 {day} 日",
        r"month (?P<month>\d+) has no day (?P<day>\d+)",
    ),
    "unknown_reference": _m(
        "引用的{target}编号 {id} 不在数据集中",
        r"refers to (?P<target>\w+) id (?P<id>'.*'), which is not",
    ),
    "rejected_reference": _m(
        "引用的{target}编号 {id} 已被拒收（{where} 第 {row} 行），请先改正那一行",
        r"refers to (?P<target>\w+) (?P<id>'.*'), which was rejected at (?P<where>.+) "
        r"row (?P<row>\d+)",
    ),
    "duplicate_id": _m(
        "编号 {id} 被多条记录使用",
        r"(?P<id>'.*') is used by more than one record",
    ),
    "unknown_name": _m(
        "找不到名称相符的{target}；请核对名称，或改填编号",
        r"no (?P<target>\w+) has",
    ),
    "ambiguous_name": _m(
        "有 {n} 个{target}与所填名称相符；请加上身份证号后几位（如 张三/1234）或改填编号",
        r"(?P<n>\d+) (?P<target>\w+) match",
    ),
    "row_number_only": _m(
        "{header} 是行号，不是编号；台账需要“编号”列（如 p01）："
        "请把 {header} 改为“编号”并填上每条记录的编号",
        r"(?P<header>'.*') is a row number",
    ),
    "unknown_column": _m(
        "列 {header} 不对应任何字段，已跳过；其余各列照常检查",
        r"column (?P<header>'.*') does not map",
    ),
    "duplicate_column": _m(
        "列 {a} 和 {b} 都对应同一个字段",
        r"columns (?P<a>'.*') and (?P<b>'.*') both",
    ),
    "unlabelled_cells": _m(
        "{col} 列没有表头，其中 {n} 行有内容（{rows}），未读取；请补上表头或删除这些内容",
        r"column (?P<col>\w+) .* holds values in (?P<n>\d+) row\(s\): (?P<rows>.*?); "
        r"they",
    ),
    "no_header": _m("前 {n} 行里没有找到表头行", r"first (?P<n>\d+) filled"),
    "empty": _m("文件是空的"),
    "unknown_ledger": _m(
        "无法判断这张表是哪种台账；请用台账名称命名工作表或文件（如“服务对象”）"
    ),
    "ambiguous_ledger": _m("表名同时符合几种台账；请改用一个台账名称"),
    "outside_locality": _m(
        "区划代码 {code} 不在本数据集的辖区 {own} 内",
        r"division code (?P<code>\d+) lies outside the dataset's (?P<own>\d+)",
    ),
    "unknown_township": _m(
        "所属街道（乡镇）{code} 没有登记在 divisions 中",
        r"its township (?P<code>\d+) is not listed",
    ),
    "station_area_mismatch": _m("站点的区域与上级站点或所辖社区不符"),
    "outside_project_period": _m("活动日期不在所属项目的周期内"),
    "ambiguous_base": _m("文件夹里有多个数据集文件；请用 --base 指定一个"),
    "cell_too_long": _m("单元格文字过长，未读取"),
    "too_many_rows": _m("工作表行数过多，超出部分未读取；请删除末尾空行或拆分工作表"),
    "unreadable_row": _m("这一行无法读取，此后各行未读取"),
    "unreadable_cell": _m("单元格无法按其类型读取，未读取"),
    "not_text": _m("文件不是 UTF-8、UTF-16 或 GB 18030 文本"),
    "not_a_workbook": _m("不是可读取的 Excel 工作簿"),
    "unreadable": _m("无法读取文件"),
    "too_large": _m("文件过大，请拆分后再导入"),
    "formula_without_value": _m(
        "单元格里的公式没有保存结果；请在 Excel 或 WPS 中打开并保存，或直接填写数值"
    ),
    "error_value": _m("单元格是 Excel 错误值，未读取"),
    "bad_roles": _m(
        "第 {n} 项角色看不懂；请写成“主责社工（中级）、志愿者2名（已审查）、社会组织、资金500元”",
        r"item (?P<n>\d+)",
    ),
    "bad_consents": _m(
        "第 {n} 项同意记录看不懂；请写成“单独同意 2024-03-01 用途 [由 监护人] [撤回 日期]”",
        r"item (?P<n>\d+)",
    ),
}
"""Every reason code a clerk can meet and its Chinese text (原因代码文案)."""

VALIDATOR_MESSAGES: dict[str, str] = {
    "resident ID check character does not match (ISO 7064 MOD 11-2)": (
        "身份证号校验位不对（最后一位），请核对号码"
    ),
    "a resident ID has 17 digits followed by a digit or X": (
        "身份证号应为 17 位数字加 1 位数字或 X"
    ),
    "the first 17 characters of a resident ID must be digits": "身份证号前 17 位应为数字",
    "resident ID has an unknown province prefix": "身份证号的省份代码不存在",
    "resident ID does not contain a real birth date": "身份证号中的出生日期不存在",
    "resident ID has a birth date in the future": "身份证号中的出生日期晚于今天",
    "a mainland mobile number has 11 digits starting with 13-19": (
        "手机号应为 13–19 开头的 11 位数字"
    ),
    "a name must not be empty": "姓名不能为空",
    "birth_date does not agree with the birth date in id_number": (
        "出生日期与身份证号中的出生日期不一致"
    ),
    "a child under 14 needs a guardian consent on record (PIPL Art. 31)": (
        "不满 14 周岁的儿童需登记监护人同意（个人信息保护法第三十一条）"
    ),
    "end must be later than start": "结束时间应晚于开始时间",
    "end must not be before start": "结束日期不能早于开始日期",
    "a division code has 6 (GB/T 2260), 9 or 12 (statistical) digits": (
        "区划代码应为 6、9 或 12 位数字"
    ),
}
"""Model validator messages and their Chinese text (校验规则文案)."""

_TERM = re.compile(r"\(([^()]*[\u4e00-\u9fff][^()]*)\)\.?\s*$")


def _collection_zh(name: str) -> str:
    found = _TERM.search(Dataset.model_fields[name].description or "")
    return found.group(1) if found else name


_COLLECTIONS_ZH = {name: _collection_zh(name) for name in COLLECTIONS}

_VALUE_ERROR = re.compile(r"^(?:Value error|Assertion failed), ")


def translate(
    code: str, message: str, lang: Lang, *, choices: Sequence[str] = ()
) -> str:
    """The message of an issue in ``lang``: Chinese from :data:`MESSAGES` (翻译说明).

    ``choices`` are the allowed values of an enum field, by their labels in ``lang``;
    they replace pydantic's list of internal values.

    Examples:
        >>> translate("missing", "Field required", "zh")
        '必填，但没有填写'
        >>> translate("string_too_short", "String should have at least 1 character", "zh")
        '至少要有 1 个字'
        >>> translate("enum", "Input should be 'a' or 'b'", "zh", choices=["低保", "特困"])
        '不是可选的取值；可选：低保、特困'
    """
    if code == "enum" and not message.startswith("Input should be"):
        return message  # a hint naming the full labels of an ambiguous word
    if lang == "en":
        return message
    if code in {"value_error", "assertion_error"}:
        text = _VALUE_ERROR.sub("", message)
        known = VALIDATOR_MESSAGES.get(text)
        return known if known is not None else f"取值无效：{text}"
    entry = MESSAGES.get(code)
    if entry is None:
        return message
    values: dict[str, str] = {}
    if entry.pattern is not None:
        found = entry.pattern.search(message)
        if found is None:
            return message
        values = {k: v or "" for k, v in found.groupdict().items()}
        if "target" in values:
            values["target"] = _COLLECTIONS_ZH.get(values["target"], values["target"])
    text = entry.zh.format(**values)
    if choices:
        text += "；可选：" + "、".join(choices)
    return text


_NOTES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), zh)
    for pattern, zh in (
        (
            r"^(?P<at>.+): header on row (?P<n>\d+); rows above it skipped as titles$",
            "{at}：表头在第 {n} 行，上方各行作为标题跳过",
        ),
        (
            r"^(?P<at>.+): two-row header on rows (?P<a>\d+)–(?P<b>\d+); .*$",
            "{at}：表头占第 {a}–{b} 两行，分组标题不作为列读取",
        ),
        (
            r"^(?P<at>.+): column (?P<h>'.*') holds remarks; not imported$",
            "{at}：列 {h} 是备注，不导入",
        ),
        (
            r"^(?P<at>.+): skipped (?P<n>\d+) blank row\(s\): (?P<rows>.*)$",
            "{at}：跳过 {n} 个空行：{rows}",
        ),
        (r"^(?P<at>.+): empty sheet skipped$", "{at}：空工作表，已跳过"),
        (
            r"^(?P<at>.+): using (?P<name>.+) as the base dataset$",
            "{at}：以 {name} 作为基础数据集",
        ),
    )
)


def translate_note(note: str, lang: Lang) -> str:
    """A report note in ``lang`` (翻译说明条目).

    Examples:
        >>> translate_note("a.csv: empty sheet skipped", "zh")
        'a.csv：空工作表，已跳过'
    """
    if lang == "zh":
        for pattern, zh in _NOTES:
            found = pattern.match(note)
            if found:
                return zh.format(**found.groupdict())
    return note


def fields_named(message: str, fields: Sequence[str]) -> list[str]:
    """The field names a record-level message mentions, in the order given (规则涉及的字段)."""
    return [f for f in fields if re.search(rf"\b{re.escape(f)}\b", message)]
