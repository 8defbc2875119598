"""Vocabulary of care visits and early warning (巡访词汇)."""

from __future__ import annotations

from wushe.vocab import BilingualEnum

__all__ = ["IncidentKind", "VisitMethod", "VisitOutcome", "WarningCode"]


class VisitMethod(BilingualEnum):
    """How a care visit was made (巡访方式).

    The seven ways named by the local tiering example of DOMAIN.md §11 (入户探访, 即时通讯,
    第三方, 党员志愿者结对, 邻里互助, 主动发现与智能预警, 热线应急), with phone and video split.
    """

    DOOR_VISIT = "door_visit", "入户探访", "上门探访", "入户"
    PHONE = "phone", "电话问候", "电话"
    VIDEO = "video", "视频探访", "视频", "即时通讯"
    VOLUNTEER_PAIRING = "volunteer_pairing", "志愿者结对", "党员志愿者结对", "结对帮扶"
    NEIGHBOUR_HELP = "neighbour_help", "邻里互助", "邻里守望"
    THIRD_PARTY = "third_party", "第三方探访", "第三方"
    SMART_ALERT = "smart_alert", "智能预警", "主动发现"
    HOTLINE = "hotline", "热线应急", "热线"


class VisitOutcome(BilingualEnum):
    """What a visit attempt achieved (巡访结果).

    ``CONTACTED`` and ``INCIDENT`` reach the person and count as a visit; ``NOT_REACHED`` is a
    failed contact, which counts only as an attempt.
    """

    CONTACTED = "contacted", "已联系", "正常"
    NOT_REACHED = "not_reached", "未联系上", "失联"
    INCIDENT = "incident", "发现异常", "异常"

    @property
    def is_contact(self) -> bool:
        """Whether the person was reached, so the attempt counts as a visit (是否联系上)."""
        return self is not VisitOutcome.NOT_REACHED


class IncidentKind(BilingualEnum):
    """A major event that calls for a prompt visit (突发事件类型)."""

    HOSPITALISATION = "hospitalisation", "住院", "就医住院"
    BEREAVEMENT = "bereavement", "丧亲", "家庭成员去世"
    FALL = "fall", "跌倒", "意外跌倒"
    ILLNESS = "illness", "突发疾病", "病情加重"
    MISSING = "missing", "走失"
    DISASTER = "disaster", "灾害", "自然灾害"
    LOSS_OF_CARER = "loss_of_carer", "照料人缺位", "监护缺失"
    OTHER = "other", "其他事件"


class WarningCode(BilingualEnum):
    """Stable code of an early warning (预警代码); each has zh/en message templates."""

    OVERDUE_VISIT = "overdue_visit", "巡访逾期"
    MISSED_CONTACTS = "missed_contacts", "连续未联系上"
    INCIDENT_RESPONSE = "incident_response", "突发事件未及时响应"
