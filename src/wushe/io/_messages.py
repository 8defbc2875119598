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
import types
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

import attrs

from wushe.models import COLLECTIONS, Dataset
from wushe.vocab import Lang, in_lang

if TYPE_CHECKING:  # pragma: no cover
    from wushe.io._report import LoadIssue, LoadReport

__all__: list[str] = []  # used by the ledger reader only


_DATE_HINT = "请写成 2024-03-01、2024/3/1 或 2024年3月1日"


@attrs.frozen
class Message:
    """The Chinese text of one reason code, and how to read its values (文案条目)."""

    zh: str
    """Chinese template; ``{name}`` slots are filled from ``pattern`` (中文模板)."""
    pattern: re.Pattern[str] | None = None
    """Named groups that pick the values out of the English message (取值模式)."""
    fallback: str | None = None
    """Chinese text when ``pattern`` finds no values; else the English stays (无取值时的文案)."""


def _m(zh: str, pattern: str | None = None, fallback: str | None = None) -> Message:
    return Message(
        zh=zh, pattern=re.compile(pattern) if pattern else None, fallback=fallback
    )


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
    "extra_forbidden": _m("不是可以填写的字段；请核对字段名或列名"),
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
    "id_digits_without_name": _m(
        "列 {header} 是身份证号后几位，但这张台账没有按姓名填写人员的列；这一列未读取",
        r"column (?P<header>'.*') holds ID digits",
    ),
    "ambiguous_id_digits": _m(
        "列 {header} 是身份证号后几位，但有 {n} 列填写人员；请在各列中写成“姓名/1234”",
        r"column (?P<header>'.*') holds ID digits, but (?P<n>\d+) columns",
    ),
    "id_digits_for_many": _m(
        "身份证号后几位一列只能配一个姓名，但这一格填了 {n} 个人；请逐个写成“姓名/1234”",
        r"this cell names (?P<n>\d+)",
    ),
    "bad_id_digits": _m("身份证号后几位应为 1–18 位数字（最后一位可为 X）"),
    "bad_number": _m("数字中的逗号应按千位分隔，如 1,234 或 10,000.5；请核对这个数"),
    "not_a_date": _m(
        "日期列中的数字按 Excel 的日期序号（1899-12-30 起的天数）读取，这个数不是日期；"
        "请写成 2024-03-05"
    ),
    "long_number": _m(
        "Excel 把它存成了数字，只保留了前 15 位；请把这一列设为“文本”格式后重新填写"
    ),
    "merged_cells": _m(
        "单元格 {cells} 跨列 {a} 和 {b} 合并，无法判断各列的值；请取消合并，逐格填写",
        r"cells (?P<cells>\S+) are merged across the columns (?P<a>'.*?') and "
        r"(?P<b>'.*?'); unmerge",
    ),
    "id_digits_without_name_cell": _m(
        "列 {digits} 填了身份证号后几位，但这一行的 {name} 列是空的；请填上姓名，或删去这几位数字",
        r"column (?P<digits>'.*') holds ID digits, but the name column (?P<name>'.*') is",
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
    # reading a JSON or YAML file
    "not_utf8": _m("文件不是 UTF-8 文本；请用 UTF-8 编码另存"),
    "malformed_partition": _m(
        "分区文件的结构已损坏或被改动：{detail}", r"(?P<detail>.+)"
    ),
    "not_an_object": _m("数据集文件的最外层应是一个对象（{{…}}），不是列表或单个取值"),
    "invalid_syntax": _m(
        "文件格式有误（第 {line} 行第 {col} 列附近）；请检查引号、逗号和括号",
        r"line (?P<line>\d+), column (?P<col>\d+)",
        "文件格式有误，无法读取；请检查引号、逗号和括号",
    ),
    "duplicate_key": _m(
        "同一对象中字段 {key} 出现了两次；请只保留一个",
        r"the key (?P<key>'.*') appears twice",
    ),
    "too_deep": _m("列表或对象嵌套过深（超过 {n} 层）", r"more than (?P<n>\d+) levels"),
    "recursive_alias": _m("YAML 别名引用了包含它自身的锚点"),
    "too_many_aliases": _m(
        "YAML 别名（*名称）展开后超过 {n} 个取值", r"more than (?P<n>[\d,]+) values"
    ),
    "minor_without_guardian_consent": _m(
        "不满 14 周岁的儿童没有有效的监护人同意：已按其他依据加载，但在监护人同意前不会提供给"
        "志愿者、社会组织和捐赠方（个人信息保护法第三十一条）"
    ),
    "referral_without_lawful_basis": _m(
        "转介发出当天，服务对象没有转介同意或法定职责依据（个人信息保护法第十三条）"
    ),
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
    "a community cannot be adjacent to itself": "社区不能与自身相邻",
    "a community needs a 12-digit village-level statistical code": (
        "社区需要 12 位的村级统计用区划代码"
    ),
    "a county hub has no parent station": "区县总站没有上级站点",
    "a city guidance centre has no parent station": "市级社会工作服务指导中心没有上级站点",
    "memberships list a member twice": "成员变动中同一成员出现了两次",
    "a county-level part under a zero prefecture part is not a valid division code": (
        "地市部分为 00 时不能有区县部分，区划代码无效"
    ),
    "a demonstration site names its station_id": "示范点需填写所属站点编号",
    "a fund for social workers names no recipients or recipient groups": (
        "社工专项资金不指定服务对象或对象群体"
    ),
    "a name must hold at least one letter": "名称至少要有一个字",
    "a person link names at least two role records": "同一人关联至少要列出两条身份记录",
    "a planned station cannot have opened_on": "规划中的站点不能填写启用日期",
    "a planned station needs planned_year": "规划中的站点需填写规划年份",
    "a recipient cannot be both a named beneficiary and an excluded party": (
        "同一服务对象不能既是指定受益人又是排除对象"
    ),
    "a station cannot be its own parent": "站点不能是自己的上级",
    "a team cannot be a squad of itself": "队伍不能是自己的分队",
    "a unified social credit code has 18 characters from 0-9 and A-Y without I, O, S, V, Z": (
        "统一社会信用代码应为 18 位，由数字和除 I、O、S、V、Z 以外的大写字母组成"
    ),
    "a 儿童主任 post names community_id and no division_code": (
        "儿童主任岗位填写社区编号，不填区划代码"
    ),
    "a 儿童督导员 post names the 9-digit division_code of its township": (
        "儿童督导员岗位填写所在街道（乡镇）的 9 位区划代码"
    ),
    "an incubation record names at least one stage or follow-up": (
        "孵化记录至少要有一个阶段或一次跟进"
    ),
    "attendance lists a division twice": "出席名单中同一区划出现了两次",
    "beneficiary_worker_ids needs for_social_workers": (
        "填写受益社工前，需先标明为社工专项资金"
    ),
    "certificate_no is set but qualification is not": "填写了证书编号，但没有填写资格等级",
    "closed_on needs feedback_on: the unit's feedback closes a referral": (
        "结案日期需要反馈日期：转介以接收单位的反馈结案"
    ),
    "graduated_on is before the first stage": "出壳日期早于第一个孵化阶段",
    "head_id must be one of member_ids": "负责人应是成员之一",
    "only a registered organisation can be a charitable organisation (慈善组织)": (
        "只有已登记的组织才能认定为慈善组织"
    ),
    "only a venue has bookings": "只有场地才有预约",
    "parent_ids lists a station twice": "上级站点中同一站点出现了两次",
    "person_times must not be smaller than the number of attendee_ids": (
        "服务人次不能少于参加人数"
    ),
    "person_times must not be smaller than the number of supervisee_ids": (
        "服务人次不能少于被督导人数"
    ),
    "rating_valid_until is set but rating is not": "填写了评估等级有效期，但没有填写等级",
    "remaining cannot exceed total": "余额不能超过总额",
    "returned_on is before sent_on": "退回日期早于发出日期",
    "size must not be smaller than the number of member_ids": "人数不能少于成员名单人数",
    "supervisor_id is also among supervisee_ids": "督导者同时出现在被督导者中",
    "the baseline already meets the target; a target moves away from it": (
        "基线已达到目标；目标应与基线有差距"
    ),
    "township and village codes must sit under a county-level code": (
        "街道和村级区划代码应在区县级代码之下"
    ),
    "until must not be before since": "截止日期不能早于起始日期",
    "village-level codes belong to Community records, not Division": (
        "村级区划代码应登记为社区，不是行政区划"
    ),
    "a brand names the station, organisation, team or project it belongs to": (
        "品牌需写明所属的站点、组织、队伍或项目"
    ),
    "a registered community organisation is a 社会团体 or 社会服务机构; community_group is for filed or informal groups": (
        "登记的社区社会组织应为社会团体或社会服务机构；备案或未登记的团体请选社区社会组织（备案）"
    ),
    "a volunteer under 18 needs guardian_consent with basis guardian_consent and purpose volunteering": (
        "未满 18 周岁的志愿者需登记监护人同意（依据为监护人同意，用途为志愿服务）"
    ),
    "given_by names who gave the consent: 本人, 监护人, 近亲属 or 法定代理人 (self, guardian, close_relative, legal_representative), optionally with a note in brackets, e.g. 监护人（祖母）; a parent's word such as 母亲 reads as 监护人": (
        "同意人应写本人、监护人、近亲属或法定代理人，可在括号内加注，如 监护人（祖母）；"
        "母亲、父亲等称谓按监护人读取"
    ),
    "only a charitable organisation (is_charitable) can hold the public-fundraising qualification (Charity Law Art. 22)": (
        "只有慈善组织才能具有公开募捐资格（慈善法第二十二条）"
    ),
    "unified social credit code check character does not match (GB 32100-2015)": (
        "统一社会信用代码校验位不对（最后一位），请核对代码"
    ),
}
"""Model validator messages and their Chinese text (校验规则文案)."""

VALIDATOR_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), zh)
    for pattern, zh in (
        (r"^a case cannot move from (?P<a>\S+) to (?P<b>\S+)$", "个案不能从{a}转到{b}"),
        (r"^a (?P<level>\S+) hangs under a parent station; parent_ids is empty$",
         "{level}应有上级站点，但没有填写上级站点"),
        (r"^a (?P<level>\S+) sits on a (?P<expected>\S+) division code$",
         "{level}应使用{expected}的区划代码"),
        (r"^milestone (?P<m>'.*') falls due outside the contract period$",
         "节点 {m} 的到期日不在合同期内"),
        (r"^milestones add up to (?P<t>\S+), more than the budget (?P<b>\S+)$",
         "各节点合计 {t}，超过预算 {b}"),
        (r"^must lie between 1900-01-01 and 2200-12-31, got (?P<d>\S+)$",
         "日期应在 1900-01-01 至 2200-12-31 之间，实际为 {d}"),
        (r"^phase (?P<a>\S+) is dated before (?P<b>\S+)$", "{a}阶段的日期早于{b}"),
        (r"^phases must start with 接案 \(intake\), not (?P<a>\S+)$",
         "个案阶段应从接案开始，不是{a}"),
        (r"^roles ask twice for (?:resource kind )?(?P<r>\S+)$", "所需角色中 {r} 出现了两次"),
        (r"^stage (?P<a>\S+) is dated before (?P<b>\S+)$", "{a}阶段的日期早于{b}"),
        (r"^stages move forward only, not from (?P<a>\S+) to (?P<b>\S+)$",
         "孵化阶段只能向前，不能从{a}到{b}"),
        (r"^target groups (?P<a>\S+) and (?P<b>\S+) exclude each other$",
         "对象类别{a}和{b}不能同时登记"),
        (r"^(?P<g>\S+) applies to children under (?P<n>\d+)$", "{g}仅适用于未满 {n} 周岁的儿童"),
        (r"^(?P<g>\S+) applies to people aged (?P<n>\d+) or over$", "{g}仅适用于 {n} 周岁及以上的人"),
        (r"^(?P<b>\S+) \((?P<bd>\S+)\) is before (?P<a>\S+) \((?P<ad>\S+)\)$",
         "{b}（{bd}）早于{a}（{ad}）"),
        (r"^unknown province prefix (?P<p>\d+) in division code$",
         "区划代码的省份代码 {p} 不存在"),
        (r"^a (?P<t>\S+) exists only by registration; .*$",
         "{t}须经登记才成立；备案或未登记的团体没有法人资格，请选社区社会组织（备案）"),
        (r"^credit_code of a (?P<t>\S+) starts with (?P<p>\S+) .*$",
         "{t}的统一社会信用代码应以 {p} 开头（民政部门登记）；在其他部门登记的请选“其他”"),
        (r"^memberships name (?P<ids>.+), not in member_ids$",
         "成员变动中的 {ids} 不在家庭成员名单中"),
        (r"^a station does not go from (?P<a>\S+) to (?P<b>\S+)$", "站点不能从{a}转为{b}"),
        (r"^phase (?P<a>\S+) is dated (?P<d>\S+), before (?P<b>\S+) \((?P<e>\S+)\)$",
         "{a}阶段的日期 {d} 早于{b}（{e}）"),
        (r"^prefecture part (?P<p>\S+) of a division code is outside .*$",
         "区划代码的地市部分 {p} 不在 GB/T 2260 的范围（01–70 或 90）内"),
        (r"^status (?P<s>\S+) does not agree with the dates recorded, which say (?P<t>\S+)$",
         "状态“{s}”与所填日期不符，按日期应为“{t}”"),
        (r"^statuses (?P<a>\S+) \(from (?P<x>\S+)\) and (?P<b>\S+) \(from (?P<y>\S+)\) overlap$",
         "状态“{a}”（自 {x}）与“{b}”（自 {y}）时间重叠"),
    )
)  # fmt: skip
"""Templated validator messages: the English pattern and its Chinese text (带取值的校验文案)."""


def _validator_zh(text: str) -> str:
    """A validator message in Chinese; an unknown one is kept after 取值无效."""
    known = VALIDATOR_MESSAGES.get(text)
    if known is not None:
        return known
    for pattern, zh in VALIDATOR_PATTERNS:
        found = pattern.match(text)
        if found:
            return zh.format(**found.groupdict())
    return f"取值无效：{text}"


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
        return _validator_zh(_VALUE_ERROR.sub("", message))
    entry = MESSAGES.get(code)
    if entry is None:
        return message
    values: dict[str, str] = {}
    if entry.pattern is not None:
        found = entry.pattern.search(message)
        if found is None:
            return entry.fallback or message
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
            r"^(?P<at>.+): skipped (?P<n>\d+) total row\(s\): (?P<rows>.*)$",
            "{at}：跳过 {n} 个合计行：{rows}",
        ),
        (
            r"^(?P<at>.+): skipped (?P<n>\d+) repeated header row\(s\): (?P<rows>.*)$",
            "{at}：跳过 {n} 个重复的表头行：{rows}",
        ),
        (
            r"^(?P<at>.+): hidden sheet, not a ledger; skipped$",
            "{at}：隐藏的工作表，不是台账，已跳过",
        ),
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


def unwrap_annotation(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def enum_choices(issue: LoadIssue, lang: Lang) -> list[str]:
    """The labels of an enum field's values in ``lang``, for an ``enum`` issue (可选取值)."""
    if issue.code != "enum" or issue.collection not in COLLECTIONS:
        return []
    model: Any = COLLECTIONS[issue.collection][0]
    annotation: Any = None
    for part in issue.field.split("."):
        if part.isdigit():
            continue
        fields = getattr(model, "model_fields", {})
        if part not in fields:
            return []
        annotation = unwrap_annotation(fields[part].annotation)
        if get_origin(annotation) in (tuple, frozenset, set, list):
            annotation = unwrap_annotation(get_args(annotation)[0])
        model = annotation
    if not (isinstance(annotation, type) and issubclass(annotation, Enum)):
        return []
    return [
        in_lang(lang, str(getattr(m, "zh", m.value)), str(m.value)) for m in annotation
    ]


def localise_report(report: LoadReport, lang: Lang) -> LoadReport:
    """The report with every issue, warning and note in ``lang`` (报告本地化).

    Codes, files, rows and fields stay as they are; only the messages change. English
    leaves the report as the checks wrote it.
    """
    if lang == "en":
        return report

    def one(issue: LoadIssue) -> LoadIssue:
        text = translate(
            issue.code, issue.message, lang, choices=enum_choices(issue, lang)
        )
        return attrs.evolve(issue, message=text)

    return attrs.evolve(
        report,
        issues=tuple(map(one, report.issues)),
        warnings=tuple(map(one, report.warnings)),
        notes=tuple(translate_note(n, lang) for n in report.notes),
    )
