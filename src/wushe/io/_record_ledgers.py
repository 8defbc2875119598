"""Ledger headers and sheet titles of the station's own records (业务台账表头).

Every field is already recognised by its Chinese term and English name; these are the
further headers station ledgers use for households, cases and their sessions, referrals,
supervision and training. :mod:`wushe.io._tables` registers them with its built-in specs.
"""

from __future__ import annotations

__all__: list[str] = []  # registered by wushe.io._tables

RECORD_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "needs": {"household_id": ("户编号", "家庭编号")},
    "households": {
        "household_id": ("户编号", "户号", "编号", "id"),
        "community_id": ("社区", "所属社区"),
        "member_ids": ("成员", "家庭成员编号"),
        "head_id": ("户主", "申请人"),
        "statuses": ("保障类别", "救助类别", "家庭类型"),
        "size": ("家庭人口数", "人口数"),
        "address": ("住址", "地址"),
        "memberships": ("成员变动", "入户离户"),
    },
    "person_links": {
        "recipient_ids": ("服务对象编号", "服务对象"),
        "volunteer_ids": ("志愿者编号", "志愿者"),
        "worker_ids": ("社工编号", "社工"),
    },
    "cases": {
        "case_id": ("案号", "编号", "id"),
        "recipient_id": ("案主", "服务对象编号"),
        "worker_id": ("负责社工", "社工"),
        "station_id": ("站点", "社工站", "社工室"),
        "phases": ("阶段记录", "阶段"),
        "category": ("问题类型", "个案类型"),
        "summary": ("情况摘要", "摘要"),
    },
    "case_sessions": {
        "session_id": ("编号", "id"),
        "case_id": ("案号",),
        "held_on": ("日期", "服务时间"),
        "duration_minutes": ("时长（分钟）", "服务时长（分钟）", "时长"),
        "worker_id": ("社工",),
        "notes": ("服务内容", "记录内容"),
    },
    "referrals": {
        "referral_id": ("编号", "id"),
        "recipient_id": ("服务对象编号",),
        "station_id": ("站点", "社工站", "转介站点"),
        "unit": ("转介部门", "接收单位类别"),
        "unit_name": ("转介单位", "接收单位名称"),
        "sent_on": ("转介时间",),
        "status": ("状态", "办理状态"),
        "feedback": ("反馈意见", "反馈内容"),
    },
    "supervisions": {
        "supervision_id": ("编号", "id"),
        "held_on": ("日期", "时间"),
        "station_id": ("站点", "督导单位"),
        "hours": ("时长（小时）", "时长"),
        "mode": ("方式", "督导形式"),
        "supervisor_id": ("督导",),
        "supervisee_ids": ("被督导人", "被督导人员"),
        "station_ids": ("督导站点",),
        "community_ids": ("督导社区",),
        "person_times": ("人次", "督导人次"),
        "topic": ("主题", "督导内容"),
    },
    "trainings": {
        "training_id": ("编号", "id"),
        "title": ("培训名称", "课程名称", "主题"),
        "held_on": ("日期", "时间"),
        "station_id": ("站点", "主办单位"),
        "hours": ("学时", "课时"),
        "kind": ("类型", "培训形式"),
        "provider": ("授课老师单位", "合作单位"),
        "attendee_ids": ("参训人员", "参训社工编号"),
        "person_times": ("人次",),
        "counts_for_cpd": ("是否计入继续教育", "继续教育"),
    },
    "contracts": {
        "contract_id": ("编号", "id"),
        "project_id": ("项目", "项目编号"),
        "purchaser": ("购买方", "采购人"),
        "provider_id": ("承接方", "承接机构"),
        "budget": ("合同金额（元）", "金额"),
        "period": ("服务期限",),
        "milestones": ("付款计划",),
    },
    "spendings": {
        "spending_id": ("凭证号", "编号", "id"),
        "contract_id": ("合同",),
        "spent_on": ("日期", "支出时间"),
        "amount": ("金额", "金额（元）"),
        "category": ("类别", "费用类别"),
        "note": ("用途", "支出摘要"),
    },
    "incubations": {
        "incubation_id": ("编号", "id"),
        "organization_id": ("组织", "组织编号"),
        "incubator_id": ("孵化基地", "培育中心"),
        "cohort": ("批次", "入孵批次"),
        "stages": ("阶段", "孵化阶段记录"),
        "resident": ("入驻",),
        "follow_ups": ("回访", "回访记录"),
    },
    "child_welfare_posts": {
        "post_id": ("编号", "id"),
        "role": ("职务", "岗位类别"),
        "worker_id": ("姓名编号", "人员编号", "社工编号"),
        "community_id": ("村居", "社区"),
        "division_code": ("乡镇街道", "街道"),
    },
    "grids": {
        "grid_id": ("编号", "id"),
        "community_id": ("社区",),
        "grid_worker_ids": ("网格员编号",),
        "household_ids": ("家庭", "家庭编号"),
        "recipient_ids": ("服务对象", "服务对象编号"),
    },
}
"""Further headers per record collection: field → headers (业务台账表头别名)."""

RECORD_TITLES: dict[str, tuple[str, ...]] = {
    "households": ("家庭台账", "低保台账", "困难家庭台账"),
    "person_links": ("身份关联",),
    "cases": ("个案台账", "个案管理"),
    "case_sessions": ("个案服务记录", "个案记录"),
    "referrals": ("转介台账", "转介记录"),
    "supervisions": ("督导记录", "督导台账"),
    "trainings": ("培训台账", "培训记录", "继续教育"),
    "contracts": ("合同台账", "购买服务合同"),
    "spendings": ("支出台账", "支出明细", "项目支出明细"),
    "incubators": ("孵化基地", "培育中心"),
    "incubations": ("孵化台账", "孵化记录", "培育台账"),
    "child_welfare_posts": ("儿童主任", "儿童督导员", "儿童福利工作人员"),
    "grids": ("网格台账", "网格划分"),
    "honours": ("荣誉台账", "获奖名单", "品牌台账"),
    "pilots": ("试点台账", "试点名单"),
    "volunteer_hours": ("志愿服务时长导出", "志愿服务时长统计"),
}
"""Sheet titles or file names that identify each ledger (业务台账表名)."""
