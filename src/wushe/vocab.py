"""Bilingual vocabulary of the 五社联动 domain (领域词汇).

Every enumeration here is a :class:`BilingualEnum`: a :class:`str` enum whose value is a
stable English snake_case code and whose members carry their Chinese label in ``.zh``.
Parsing accepts the English value, the member name or the Chinese label::

    >>> TargetGroup("留守儿童") is TargetGroup.LEFT_BEHIND_CHILD
    True
    >>> TargetGroup("left_behind_child").zh
    '留守儿童'
    >>> StationLevel.TOWNSHIP.zh
    '乡镇（街道）社工站'

Labels follow the national wording where one exists and the commonest local wording
otherwise; see the glossary in the documentation for sources. Alternative Chinese labels
(``aliases``) parse too, because local ledgers word things differently. A bare label that
names more than one member — ``"宣传"``, ``"培训"``, ``"社工站"`` — parses to none of them: the
error lists the full names to choose from (:func:`explain_ambiguous`)::

    >>> ActivityType("宣传")
    Traceback (most recent call last):
    ...
    ValueError: '宣传' is ambiguous for ActivityType: write 政策宣传 (policy_publicity) or 社工主题宣传 (social_work_publicity)
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self

from pydantic_core import core_schema

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = [
    "ActivityType",
    "ActorKind",
    "ActorRole",
    "BilingualEnum",
    "BuildCriterion",
    "CaseClosingReason",
    "CasePhase",
    "ChildWelfareRole",
    "CommitteeKind",
    "ConsentGiver",
    "ConsentPurpose",
    "ConveningKind",
    "Department",
    "DisabilityCategory",
    "EvaluationPhase",
    "FundingChannel",
    "Gender",
    "Grade",
    "HonourKind",
    "HouseholdStatus",
    "IncubationStage",
    "LawfulBasis",
    "OrgRating",
    "OrganizationType",
    "PilotPhase",
    "ProjectOrigin",
    "Qualification",
    "ReferralStatus",
    "RegistrationMode",
    "ResourceKind",
    "ServiceCategory",
    "SpendingCategory",
    "StationLevel",
    "StationStatus",
    "SupervisionMode",
    "TargetGroup",
    "TimeBankEntryKind",
    "TrainingKind",
    "Urgency",
    "expand_target_groups",
    "explain_ambiguous",
]


class BilingualEnum(StrEnum):
    """A string enum whose members carry a Chinese label (双语枚举).

    Members are declared as ``NAME = "english_value", "中文标签"`` with optional further
    Chinese aliases. ``Enum("中文标签")`` and ``Enum("NAME")`` both find the member.
    """

    zh: str
    """The Chinese label (中文名称)."""
    aliases: tuple[str, ...]
    """Further Chinese or English spellings that parse to this member (别名)."""

    def __new__(cls, value: str, *labels: str) -> Self:
        """Create a member from its English value, Chinese label and aliases.

        The signature takes the labels as ``*labels`` so that type checkers accept the
        one-argument lookup call ``TargetGroup("留守儿童")``.
        """
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = labels[0] if labels else value
        member.aliases = labels[1:]
        return member

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        index = _LABEL_INDEX.get(cls)
        if index is None:
            index = _label_index(cls)
        # Labels as written (the usual case in a file) are found without normalising.
        found = index.get(value) or index.get(_normalise(value))
        if found is None:
            choices = _AMBIGUOUS.get(cls, {}).get(_normalise(value))
            if choices:
                raise ValueError(_ambiguity_message(cls, value, choices))
        return found

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        """The enum schema pydantic builds, finding labels without ``cls(...)`` (标签查找)."""
        schema = handler(source)
        index = _LABEL_INDEX.get(cls) or _label_index(cls)
        exact = {label: member.value for label, member in index.items()}

        def label_to_value(value: Any) -> Any:
            # A label as written (the usual case in a file) becomes the member's value, which
            # pydantic-core then finds itself; anything else goes on unchanged to ``_missing_``.
            return exact.get(value, value) if value.__class__ is str else value

        return core_schema.no_info_before_validator_function(label_to_value, schema)

    @property
    def en(self) -> str:
        """The English label: the value with underscores as spaces (英文名称)."""
        return self.value.replace("_", " ")

    def label(self, lang: str = "zh") -> str:
        """Return the label in ``lang`` (``"zh"`` or ``"en"``) (按语言取名称)."""
        return self.zh if lang == "zh" else self.en


_LABEL_INDEX: dict[type[BilingualEnum], dict[str, Any]] = {}


def _label_index(cls: type[BilingualEnum]) -> dict[str, Any]:
    """Every spelling of every member, as written and normalised, to the member."""
    labels = [
        (label, member)
        for member in cls
        for label in (member.value, member.name, member.zh, *member.aliases)
    ]
    index: dict[str, Any] = dict(labels)
    index.update((_normalise(label), member) for label, member in labels)
    _LABEL_INDEX[cls] = index
    return index


# Ledgers mix full- and half-width brackets and stray spaces; compare without them.
_FOLD = str.maketrans({"（": "(", "）": ")", " ": "", "-": "_"})


def _normalise(text: str) -> str:
    return text.strip().translate(_FOLD).casefold()


# Bare labels that name several members of one enum: they parse to none of them, and the
# error names the members to choose from. Filled by ``_ambiguous`` after each class.
_AMBIGUOUS: dict[type[BilingualEnum], dict[str, tuple[BilingualEnum, ...]]] = {}


def _ambiguous(label: str, *choices: BilingualEnum) -> None:
    _AMBIGUOUS.setdefault(type(choices[0]), {})[_normalise(label)] = choices


def _ambiguity_message(
    enum: type[BilingualEnum], label: str, choices: tuple[BilingualEnum, ...]
) -> str:
    names = [f"{member.zh} ({member.value})" for member in choices]
    listed = ", ".join(names[:-1]) + f" or {names[-1]}"
    return f"{label.strip()!r} is ambiguous for {enum.__name__}: write {listed}"


def explain_ambiguous(label: object, expected: str = "") -> str | None:
    """Say which full names an ambiguous bare label could mean, or ``None`` (歧义标签说明).

    For messages built from a pydantic ``enum`` error, which drops the reason a label
    failed: ``expected`` is the error's ``ctx["expected"]`` (the enum's values) and picks
    the enum when several have registered the label.

    >>> explain_ambiguous("培训")
    "'培训' is ambiguous for ActivityType: write 社工培训 (staff_training) or 志愿者培训 (volunteer_training)"
    >>> explain_ambiguous("社工培训") is None
    True
    """
    if not isinstance(label, str):
        return None
    key = _normalise(label)
    for enum, labels in _AMBIGUOUS.items():
        choices = labels.get(key)
        if choices and all(f"'{m.value}'" in expected for m in choices if expected):
            return _ambiguity_message(enum, label, choices)
    return None


class ActorRole(BilingualEnum):
    """The role an actor plays in the linkage (五社角色)."""

    PLATFORM = "platform", "平台"
    CARRIER = "carrier", "载体"
    SUPPORT = "support", "支撑"
    HELPER = "helper", "辅助"
    SUPPLEMENT = "supplement", "补充"


class ActorKind(BilingualEnum):
    """The five actors of 五社联动 (五社).

    The canonical list is from the 2021 CPC Central Committee and State Council opinion on
    grassroots governance; ``role`` gives each actor's part in the usual slogan
    社区为平台、社会组织为载体、社会工作者为支撑、社区志愿者为辅助、社会慈善资源为补充.
    """

    COMMUNITY = "community", "社区"
    SOCIAL_ORGANIZATION = "social_organization", "社会组织", "社区社会组织"
    SOCIAL_WORKER = "social_worker", "社会工作者", "社工"
    VOLUNTEER = "volunteer", "社区志愿者", "志愿者"
    CHARITABLE_RESOURCE = "charitable_resource", "社会慈善资源", "慈善资源"

    @property
    def role(self) -> ActorRole:
        """The actor's role in the linkage (角色)."""
        return _ACTOR_ROLES[self]


_ACTOR_ROLES = {
    ActorKind.COMMUNITY: ActorRole.PLATFORM,
    ActorKind.SOCIAL_ORGANIZATION: ActorRole.CARRIER,
    ActorKind.SOCIAL_WORKER: ActorRole.SUPPORT,
    ActorKind.VOLUNTEER: ActorRole.HELPER,
    ActorKind.CHARITABLE_RESOURCE: ActorRole.SUPPLEMENT,
}


class StationLevel(BilingualEnum):
    """The level of a social-work station (社工站层级).

    Three geographic tiers — county/district hub, township/street station,
    village/community room — plus stations attached beside them in schools and
    elderly-care institutions, which are not geographic tiers. A city may add a fourth
    tier above its county hubs, as 成都市's "四级网络" does (seed 002): the city's
    social-work service guidance centre (市级社会工作服务指导中心).

    Only names that say the tier parse. The bare words 社工中心, 社工站 and 社工室 are
    used at several tiers — 九龙社工中心 (seed 003) is a street station and
    荆门名泉社区社工站 a community one — so they are rejected with the choices listed.
    """

    CITY = (
        "city",
        "市级社会工作服务指导中心",
        "市社会工作服务指导中心",
        "市级社工指导中心",
        "市级社工中心",
    )
    COUNTY = (
        "county",
        "区（县）社工总站",
        "社工总站",
        "社会工作指导中心",
        "县级社工总站",
    )
    TOWNSHIP = "township", "乡镇（街道）社工站", "街道社工站", "乡镇社工站"
    VILLAGE = "village", "村（社区）社工室", "社区社工室", "村社工室"
    SCHOOL = "school", "学校社工站", "驻校社工站"
    ELDERLY_INSTITUTION = "elderly_institution", "养老机构社工站"

    @property
    def is_geographic(self) -> bool:
        """Whether this level is one of the geographic tiers, city to village (是否行政层级)."""
        return self in _GEOGRAPHIC_RANK

    @property
    def rank(self) -> int:
        """Depth of a tier: city -1, county 0, township 1, village 2; attached 3 (层级深度).

        The city tier sits above the county hub's 0 so that the three-tier ranks stay
        as they are.
        """
        return _GEOGRAPHIC_RANK.get(self, 3)


_GEOGRAPHIC_RANK = {
    StationLevel.CITY: -1,
    StationLevel.COUNTY: 0,
    StationLevel.TOWNSHIP: 1,
    StationLevel.VILLAGE: 2,
}
_ambiguous("社工中心", StationLevel.COUNTY, StationLevel.TOWNSHIP)
_ambiguous(
    "社工站",
    StationLevel.TOWNSHIP,
    StationLevel.VILLAGE,
    StationLevel.SCHOOL,
    StationLevel.ELDERLY_INSTITUTION,
)
_ambiguous("社工室", StationLevel.VILLAGE, StationLevel.SCHOOL)


class StationStatus(BilingualEnum):
    """Whether a station is built or only planned (建设状态)."""

    BUILT = "built", "已建"
    PLANNED = "planned", "规划"


class BuildCriterion(BilingualEnum):
    """One item of a station build standard (建设标准条目).

    The six-haves (六有) are 有场地、有设备、有人员、有服务功能、有工作流程、有规章制度;
    some places use five-haves (五有: 场地、人员、功能、制度、活动), so ``ACTIVITIES`` exists too.
    """

    SITE = "site", "有场地", "场地"
    EQUIPMENT = "equipment", "有设备", "设备"
    STAFF = "staff", "有人员", "人员"
    SERVICE_FUNCTIONS = "service_functions", "有服务功能", "服务功能", "功能"
    WORKFLOW = "workflow", "有工作流程", "工作流程"
    RULES = "rules", "有规章制度", "规章制度", "制度"
    ACTIVITIES = "activities", "有活动", "活动"


class TargetGroup(BilingualEnum):
    """A civil-affairs recipient category (服务对象类别).

    A recipient carries a *set* of these: statuses overlap (特困 + 残疾 + 高龄 is common).
    Age limits used in validation: 留守儿童 under 16; 孤儿, 事实无人抚养儿童 and 困境儿童 under 18;
    高龄老人 80 and over; elder groups 60 and over.

    Some groups are a narrower form of another (``broader``): 分散供养 and 集中供养特困人员
    of 特困人员 (support at home or in an institution, 《社会救助暂行办法》 2014 ch. 3 and
    国发〔2016〕14号); 散居孤儿 (社会散居孤儿) and 机构养育孤儿 of 孤儿 (the two arrangements
    the orphan allowance distinguishes, 民发〔2010〕161号); 重度残疾人 (grade 1–2, DOMAIN.md
    §9) of 残疾人. A recipient given the narrower group also carries the broader one
    (:func:`expand_target_groups`), so rules on 特困人员 keep matching; the bare 特困 still
    parses to 特困人员, with the form of support not recorded. 流浪乞讨人员 are the people
    the 2003 measures on aid to vagrants and beggars serve (国务院令第381号);
    患危及生命病症老年人 are the elders with conditions that can threaten life at any time
    (Alzheimer's, severe hypertension, heart disease) of the Inner Mongolia visit tiers
    (北方新报, June 2022, DOMAIN.md §11).
    """

    EXTREME_POVERTY = "extreme_poverty", "特困人员", "特困"
    EXTREME_POVERTY_DISPERSED = (
        "extreme_poverty_dispersed",
        "分散供养特困人员",
        "分散供养特困",
    )
    EXTREME_POVERTY_CENTRALISED = (
        "extreme_poverty_centralised",
        "集中供养特困人员",
        "集中供养特困",
    )
    DIBAO = "dibao", "低保对象", "低保", "最低生活保障对象"
    NEAR_DIBAO = "near_dibao", "低保边缘家庭", "低保边缘"
    RIGID_EXPENDITURE_HARDSHIP = "rigid_expenditure_hardship", "刚性支出困难家庭"
    TEMPORARY_ASSISTANCE = "temporary_assistance", "临时救助对象"
    ORPHAN = "orphan", "孤儿"
    ORPHAN_SCATTERED = "orphan_scattered", "散居孤儿", "社会散居孤儿"
    ORPHAN_INSTITUTIONAL = "orphan_institutional", "机构养育孤儿", "集中养育孤儿"
    DE_FACTO_UNSUPPORTED_CHILD = "de_facto_unsupported_child", "事实无人抚养儿童"
    CHILD_IN_DIFFICULTY = "child_in_difficulty", "困境儿童"
    LEFT_BEHIND_CHILD = "left_behind_child", "留守儿童"
    LEFT_BEHIND_WOMAN = "left_behind_woman", "留守妇女"
    LEFT_BEHIND_ELDER = "left_behind_elder", "留守老人"
    EMPTY_NEST_ELDER = "empty_nest_elder", "空巢老人"
    ELDER_LIVING_ALONE = "elder_living_alone", "独居老人"
    ADVANCED_AGE_ELDER = "advanced_age_elder", "高龄老人"
    DISABLED_ELDER = "disabled_elder", "失能老人", "失能（失智）老人"
    FAMILY_PLANNING_SPECIAL = "family_planning_special", "计划生育特殊家庭"
    DISABILITY = "disability", "残疾人"
    SEVERE_DISABILITY = "severe_disability", "重度残疾人", "重残"
    ELDER_AT_LIFE_RISK = (
        "elder_at_life_risk",
        "患危及生命病症老年人",
        "危及生命病症老人",
    )
    VAGRANT = "vagrant", "流浪乞讨人员", "生活无着的流浪乞讨人员"
    POVERTY_RELAPSE_MONITORED = "poverty_relapse_monitored", "防返贫监测对象"
    OTHER = "other", "其他"

    @property
    def broader(self) -> TargetGroup | None:
        """The group this one narrows, e.g. 特困人员 for 分散供养特困人员 (上位类别)."""
        return _BROADER.get(self)

    @property
    def is_safety_net(self) -> bool:
        """Whether the group is in wushe's default 兜底 set, served first (兜底保障对象).

        A library default drawn from practice (DOMAIN.md §12.6), not a legal list: 特困,
        低保, 孤儿, 事实无人抚养儿童 and 困境儿童, with their narrower forms. Matching takes
        its priority tiers from :class:`~wushe.matching.MatchPolicy`, where they can be
        changed.
        """
        return self in _SAFETY_NET or _BROADER.get(self) in _SAFETY_NET


def expand_target_groups(groups: frozenset[TargetGroup]) -> frozenset[TargetGroup]:
    """Add the broader group of every narrower one, e.g. 特困人员 for 分散供养特困人员 (补全上位类别).

    >>> sorted(g.value for g in expand_target_groups(frozenset({TargetGroup("散居孤儿")})))
    ['orphan', 'orphan_scattered']
    """
    broader = {_BROADER[g] for g in groups if g in _BROADER}
    return groups | broader if broader - groups else groups


_BROADER = {
    TargetGroup.EXTREME_POVERTY_DISPERSED: TargetGroup.EXTREME_POVERTY,
    TargetGroup.EXTREME_POVERTY_CENTRALISED: TargetGroup.EXTREME_POVERTY,
    TargetGroup.ORPHAN_SCATTERED: TargetGroup.ORPHAN,
    TargetGroup.ORPHAN_INSTITUTIONAL: TargetGroup.ORPHAN,
    TargetGroup.SEVERE_DISABILITY: TargetGroup.DISABILITY,
}
_SAFETY_NET = frozenset(
    {
        TargetGroup.EXTREME_POVERTY,
        TargetGroup.DIBAO,
        TargetGroup.ORPHAN,
        TargetGroup.DE_FACTO_UNSUPPORTED_CHILD,
        TargetGroup.CHILD_IN_DIFFICULTY,
    }
)


class ServiceCategory(BilingualEnum):
    """A field of service a need belongs to and an actor can serve (服务类别).

    The civil-affairs core business of stations (社会救助、养老服务、儿童关爱保护、城乡社区治理、
    社会事务) plus the specialist fields that needs are referred across (横向协同).
    """

    SOCIAL_ASSISTANCE = "social_assistance", "社会救助"
    ELDERLY_CARE = "elderly_care", "养老服务", "为老服务"
    CHILD_WELFARE = "child_welfare", "儿童关爱保护", "儿童关爱"
    DISABILITY_SUPPORT = "disability_support", "助残服务", "残疾人服务"
    PSYCHOSOCIAL = "psychosocial", "心理疏导", "精神慰藉", "心理社会支持"
    COMMUNITY_GOVERNANCE = "community_governance", "社区治理", "城乡社区治理"
    SOCIAL_AFFAIRS = "social_affairs", "社会事务"
    EDUCATION = "education", "助学服务", "教育支持"
    HEALTH = "health", "健康服务", "助医服务"
    LEGAL_AID = "legal_aid", "法律服务", "法律援助"
    HOUSING = "housing", "居住环境改善", "住房保障"
    OTHER = "other", "其他服务"


class Qualification(BilingualEnum):
    """A national social-worker qualification level (社会工作者职业水平).

    Ordered: assistant < intermediate < senior. Assistant and intermediate are by
    examination only; senior is by examination plus review.
    """

    ASSISTANT = "assistant", "助理社会工作师"
    INTERMEDIATE = "intermediate", "社会工作师", "中级社会工作师"
    SENIOR = "senior", "高级社会工作师"

    @property
    def rank(self) -> int:
        """1 for assistant, 2 for intermediate, 3 for senior (等级序号)."""
        return _QUALIFICATION_RANK[self]

    def satisfies(self, required: Qualification) -> bool:
        """Whether this level meets ``required`` or a higher level (是否满足资质要求)."""
        return self.rank >= required.rank


_QUALIFICATION_RANK = {
    Qualification.ASSISTANT: 1,
    Qualification.INTERMEDIATE: 2,
    Qualification.SENIOR: 3,
}


class OrganizationType(BilingualEnum):
    """The legal type of a social organisation (社会组织类型).

    社会团体, 社会服务机构 and 基金会 are legal persons that exist by registration with
    civil affairs. A community-based group below the registration thresholds is filed
    (备案) with the street or township, or stays an informal group under the community
    Party organisation (民发〔2017〕191号); it has no legal personality (DOMAIN.md §8), so
    it is its own type, ``COMMUNITY_GROUP``, never a 社会团体 with ``registration=备案``.
    """

    SOCIAL_ASSOCIATION = "social_association", "社会团体"
    SOCIAL_SERVICE_INSTITUTION = (
        "social_service_institution",
        "社会服务机构",
        "民办非企业单位",
    )
    FOUNDATION = "foundation", "基金会"
    COMMUNITY_GROUP = "community_group", "备案社区社会组织", "社区社会组织（备案）"
    OTHER = "other", "其他组织"

    @property
    def is_legal_person_by_registration(self) -> bool:
        """Whether the type exists in law only once registered with civil affairs (登记成立的法人)."""
        return self in _REGISTERED_TYPES


_REGISTERED_TYPES = frozenset(
    {
        OrganizationType.SOCIAL_ASSOCIATION,
        OrganizationType.SOCIAL_SERVICE_INSTITUTION,
        OrganizationType.FOUNDATION,
    }
)


class RegistrationMode(BilingualEnum):
    """How a social organisation exists in law (登记方式).

    Filed (备案) community organisations have no independent legal personality; informal
    groups are guided by the community Party organisation.
    """

    REGISTERED = "registered", "登记"
    FILED = "filed", "备案"
    INFORMAL = "informal", "未登记", "非正式"


class IncubationStage(BilingualEnum):
    """Stage of a social organisation in an incubator (孵化阶段).

    Not a national taxonomy: seed 003 (叙州区) uses 萌芽型 and 初创型; others are common local
    wording.
    """

    SEED = "seed", "萌芽型"
    START_UP = "start_up", "初创型"
    GROWING = "growing", "成长型"
    MATURE = "mature", "成熟型"


class OrgRating(BilingualEnum):
    """A social-organisation evaluation rating, 5A best (社会组织评估等级)."""

    A5 = "5A", "5A级", "AAAAA"
    A4 = "4A", "4A级", "AAAA"
    A3 = "3A", "3A级", "AAA"
    A2 = "2A", "2A级", "AA"
    A1 = "1A", "1A级", "A"


class ResourceKind(BilingualEnum):
    """The kind of a charitable resource (慈善资源类型)."""

    FUNDS = "funds", "资金", "善款"
    GOODS = "goods", "物资"
    SERVICE_HOURS = "service_hours", "服务", "服务时长"
    VENUE = "venue", "场地"


class FundingChannel(BilingualEnum):
    """How a project or resource is funded (资金渠道)."""

    GOVERNMENT_PURCHASE = "government_purchase", "政府购买服务"
    VENTURE_PHILANTHROPY = "venture_philanthropy", "公益创投"
    DONATION = "donation", "慈善捐赠", "捐赠"
    TRUST = "trust", "慈善信托"
    COMMUNITY_FUND = "community_fund", "社区慈善基金"
    WELFARE_LOTTERY = "welfare_lottery", "福彩公益金", "福利彩票公益金", "彩票公益金"
    OTHER = "other", "其他渠道"


class ActivityType(BilingualEnum):
    """The type of a ledger entry (台账活动类型).

    Synthesised from station reports (not a national list): the counts civil-affairs
    reports publish — 个案, 小组, 社区活动, 巡访, 政策宣传, 社工主题宣传, 培训, 督导 — and the rest
    of a station's work. Reports count policy publicity and social-work theme publicity
    (e.g. the 社工宣传周) apart (seed 002, 金牛区: 180余 and 100余), so the bare 宣传 names
    neither; nor does the bare 培训 (staff or volunteer training).
    """

    CASE_SERVICE = "case_service", "个案服务", "个案"
    GROUP_ACTIVITY = "group_activity", "小组活动", "小组"
    COMMUNITY_EVENT = "community_event", "社区活动"
    LECTURE = "lecture", "知识讲座", "专题讲座", "讲座"
    CARE_VISIT = "care_visit", "关爱巡访", "巡访", "探访关爱"
    POLICY_PUBLICITY = "policy_publicity", "政策宣传"
    SOCIAL_WORK_PUBLICITY = "social_work_publicity", "社工主题宣传", "社会工作宣传"
    VOLUNTEER_TRAINING = "volunteer_training", "志愿者培训"
    STAFF_TRAINING = "staff_training", "社工培训"
    SUPERVISION = "supervision", "督导"
    NEEDS_ASSESSMENT = "needs_assessment", "需求评估", "摸排"
    RESOURCE_LINKING = "resource_linking", "资源链接"
    DONATION_DELIVERY = "donation_delivery", "物资捐赠", "捐赠发放"
    VOLUNTEER_SERVICE = "volunteer_service", "志愿服务"
    PSYCHOSOCIAL_SUPPORT = "psychosocial_support", "心理疏导", "精神慰藉"
    REFERRAL = "referral", "转介"
    CRISIS_INTERVENTION = "crisis_intervention", "危机干预"
    CAPACITY_BUILDING = "capacity_building", "能力建设"
    ORG_INCUBATION = "org_incubation", "社会组织培育"
    CHARITY_MOBILISATION = "charity_mobilisation", "慈善资源募集"
    PROJECT_EVALUATION = "project_evaluation", "项目评估"
    MEETING = "meeting", "协调会", "会议"

    @property
    def is_staff_facing(self) -> bool:
        """Whether the rows train, supervise or coordinate the workforce rather than serve residents (面向工作人员).

        Staff and volunteer training, supervision, capacity building, project evaluation and
        meetings: their attendances are trained or coordinating staff and volunteers, which
        reports count apart from the residents served (服务群众人次). wushe's
        classification, not a national rule.
        """
        return self in _STAFF_FACING


_STAFF_FACING = frozenset(
    {
        ActivityType.STAFF_TRAINING,
        ActivityType.VOLUNTEER_TRAINING,
        ActivityType.SUPERVISION,
        ActivityType.CAPACITY_BUILDING,
        ActivityType.PROJECT_EVALUATION,
        ActivityType.MEETING,
    }
)
_ambiguous("宣传", ActivityType.POLICY_PUBLICITY, ActivityType.SOCIAL_WORK_PUBLICITY)
_ambiguous("培训", ActivityType.STAFF_TRAINING, ActivityType.VOLUNTEER_TRAINING)


class Grade(BilingualEnum):
    """An evaluation grade (评估等级); cut-offs live in the rubric, not here.

    The bare 一般 is the third of four grades in some places (优秀/良好/一般/较差, Haikou) and
    so is not a label of 基本合格: it parses to neither 合格 nor 基本合格.
    """

    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    BASIC_PASS = "basic_pass", "基本合格"
    FAIL = "fail", "不合格", "较差"


_ambiguous("一般", Grade.PASS, Grade.BASIC_PASS)


class EvaluationPhase(BilingualEnum):
    """When an evaluation takes place (评估阶段).

    Mid-term and final rounds (Xiamen 2014), annual spot checks and a final in the last
    month of the contract (Shenzhen 2021), and annual rounds of multi-year contracts
    (年度评估); DOMAIN.md §4.3.
    """

    MID_TERM = "mid_term", "中期评估", "中期"
    FINAL = "final", "终期评估", "终期", "结项评估", "末期评估", "末期"
    SPOT_CHECK = "spot_check", "抽查评估", "抽查"
    ANNUAL = "annual", "年度评估", "年度"


class Urgency(BilingualEnum):
    """How urgent a need is (紧急程度)."""

    LOW = "low", "一般"
    MEDIUM = "medium", "较急"
    HIGH = "high", "紧急"
    CRITICAL = "critical", "特急", "危急"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for critical (紧急序号)."""
        return list(Urgency).index(self)


class CommitteeKind(BilingualEnum):
    """Whether a community is governed by a residents' or villagers' committee (居委会/村委会)."""

    RESIDENTS = "residents", "居民委员会", "社区", "居委会"
    VILLAGERS = "villagers", "村民委员会", "村", "村委会"


class DisabilityCategory(BilingualEnum):
    """Disability category, as coded in the disability certificate (残疾类别)."""

    VISUAL = "visual", "视力残疾"
    HEARING = "hearing", "听力残疾"
    SPEECH = "speech", "言语残疾"
    PHYSICAL = "physical", "肢体残疾"
    INTELLECTUAL = "intellectual", "智力残疾"
    MENTAL = "mental", "精神残疾"
    MULTIPLE = "multiple", "多重残疾"


class Gender(BilingualEnum):
    """Gender as recorded in the resident ID (性别)."""

    MALE = "male", "男"
    FEMALE = "female", "女"


class ConsentPurpose(BilingualEnum):
    """What a recipient's personal information is processed or shared for (处理目的).

    PIPL Art. 6 asks for a clear and reasonable purpose and no more processing than it
    needs; Art. 14 asks for consent to be given for a stated purpose, and a new purpose needs
    consent anew. Each member is one purpose a consent or another lawful basis can cover.
    """

    CASEWORK = "casework", "社工个案服务", "个案服务", "社工服务"
    """Casework by the station's social workers (社工个案服务)."""
    CARE_VISIT = "care_visit", "探访关爱", "巡访", "探访"
    """Regular care visits to check on the person (探访关爱)."""
    SHARE_WITH_VOLUNTEERS = "share_with_volunteers", "向志愿者提供", "志愿者服务"
    """Handing the person's details to community volunteers (向志愿者提供个人信息)."""
    SHARE_WITH_ORGANIZATIONS = (
        "share_with_organizations",
        "向社会组织提供",
        "社会组织服务",
    )
    """Handing the person's details to a social organisation (向社会组织提供个人信息)."""
    SHARE_WITH_RESOURCE_PROVIDERS = (
        "share_with_resource_providers",
        "向慈善资源方提供",
        "慈善资源链接",
    )
    """Naming the person to a donor or charitable resource provider (向慈善资源方提供个人信息)."""
    REFERRAL = "referral", "转介其他部门", "转介"
    """Referring the person to another government department (转介其他部门)."""
    PUBLICITY = "publicity", "宣传报道与照片", "宣传"
    """Photos, stories and publicity (宣传报道与照片)."""
    RESEARCH = "research", "研究评估", "研究"
    """Research and evaluation beyond the service itself (研究评估)."""
    VOLUNTEERING = "volunteering", "参与志愿服务"
    """A minor volunteer taking part in volunteer service (参与志愿服务)."""


class ConsentGiver(BilingualEnum):
    """Who gave a consent: the person, or who gave it for them (同意人身份).

    PIPL Art. 31: for a child under 14 only the parents or another guardian consent; a
    legal representative (法定代理人, Civil Code Art. 23: the guardian of a person without
    full capacity) stands in the same place. A close relative who is not the guardian
    cannot consent for a child.
    """

    SELF = "self", "本人"
    """The person themself (本人)."""
    GUARDIAN = "guardian", "监护人"
    """A parent or other guardian (监护人)."""
    CLOSE_RELATIVE = "close_relative", "近亲属"
    """A close relative who is not the guardian (近亲属)."""
    LEGAL_REPRESENTATIVE = "legal_representative", "法定代理人"
    """A legal representative (法定代理人)."""


class LawfulBasis(BilingualEnum):
    """The legal ground for processing personal information (个人信息处理的合法性基础).

    PIPL Art. 13 lists the grounds; wushe records four of them. Sensitive information needs
    separate consent (Art. 29) and a child under 14 needs a guardian's consent (Art. 31).
    """

    CONSENT = "consent", "个人同意", "同意"
    """The person's own consent (Art. 13(1)) (个人同意)."""
    GUARDIAN_CONSENT = "guardian_consent", "监护人同意"
    """A parent's or guardian's consent, as Art. 31 requires under 14 (监护人同意)."""
    STATUTORY_DUTY = (
        "statutory_duty",
        "履行法定职责或法定义务",
        "法定职责",
        "法定义务",
    )
    """Necessary to perform a statutory duty or obligation (Art. 13(3)) (法定职责)."""
    VITAL_INTERESTS = (
        "vital_interests",
        "紧急情况下保护生命健康和财产安全",
        "紧急情况",
    )
    """Necessary in an emergency to protect life, health or property (Art. 13(4)) (紧急情况)."""


# --- The station's own records (站点业务记录) ----------------------------------------------


class HouseholdStatus(BilingualEnum):
    """A household's assistance status, recorded per household (家庭救助类别).

    Benefits such as 低保 are granted to a household, not a person; 特困供养 is recorded
    as centralised (in an institution) or dispersed (at home) support.
    """

    DIBAO = "dibao", "低保", "低保家庭", "低保户", "最低生活保障家庭"
    """Minimum-living-allowance household (最低生活保障家庭)."""
    NEAR_DIBAO = "near_dibao", "低保边缘", "低保边缘家庭"
    """Near-dibao household: income above the line, typically below 1.5 times it (低保边缘家庭)."""
    EXTREME_POVERTY_CENTRALISED = (
        "extreme_poverty_centralised",
        "特困供养（集中）",
        "集中供养",
        "特困集中供养",
    )
    """Extreme-poverty support in an institution (特困人员集中供养)."""
    EXTREME_POVERTY_DISPERSED = (
        "extreme_poverty_dispersed",
        "特困供养（分散）",
        "分散供养",
        "特困分散供养",
    )
    """Extreme-poverty support at home (特困人员分散供养)."""
    FAMILY_PLANNING_SPECIAL = (
        "family_planning_special",
        "计生特殊家庭",
        "计划生育特殊家庭",
    )
    """A family that lost its only child or whose only child is disabled (计生特殊家庭)."""
    EXPENDITURE_HARDSHIP = (
        "expenditure_hardship",
        "支出型困难",
        "支出型困难家庭",
        "刚性支出困难家庭",
    )
    """Hardship from essential medical or schooling costs (支出型困难家庭)."""


class CasePhase(BilingualEnum):
    """A phase of casework, in its standard order (个案工作阶段, MZ/T 094-2017)."""

    INTAKE = "intake", "接案"
    """The case is taken on (接案)."""
    ASSESSMENT = "assessment", "预估"
    """Needs and strengths are assessed (预估)."""
    PLANNING = "planning", "计划"
    """A service plan is agreed (计划)."""
    INTERVENTION = "intervention", "介入"
    """The plan is carried out (介入)."""
    EVALUATION = "evaluation", "评估"
    """Results are evaluated (评估)."""
    CLOSURE = "closure", "结案"
    """The case is closed (结案)."""

    @property
    def rank(self) -> int:
        """Position in the standard order, 0 for 接案 (阶段序号)."""
        return list(CasePhase).index(self)


class CaseClosingReason(BilingualEnum):
    """Why a case was closed (结案原因)."""

    GOALS_MET = "goals_met", "目标达成", "服务目标达成"
    """The service goals were met (服务目标达成)."""
    CLIENT_WITHDREW = "client_withdrew", "服务对象退出", "主动退出"
    """The recipient ended the service (服务对象主动退出)."""
    REFERRED = "referred", "转介", "已转介"
    """Referred to another service that takes over (转介结案)."""
    MOVED_OR_LOST = "moved_or_lost", "迁出或失联", "迁出", "失联"
    """The recipient moved away or cannot be reached (迁出或失联)."""
    DECEASED = "deceased", "离世", "死亡"
    """The recipient died (服务对象离世)."""
    NOT_ELIGIBLE = "not_eligible", "不再符合条件"
    """The recipient no longer qualifies for the service (不再符合服务条件)."""
    OTHER = "other", "其他"
    """Another reason (其他原因)."""


class Department(BilingualEnum):
    """A government department or body a need can be referred to (横向协同转介部门)."""

    EDUCATION = "education", "教育", "教育局", "教育部门"
    """Education bureau: schooling, study support (教育部门)."""
    HEALTH = "health", "卫健", "卫健委", "卫生健康部门"
    """Health commission: medical care, mental health (卫生健康部门)."""
    JUSTICE = "justice", "司法", "司法局", "司法行政部门"
    """Justice bureau: legal aid, mediation (司法行政部门)."""
    DISABLED_PERSONS_FEDERATION = "disabled_persons_federation", "残联", "残疾人联合会"
    """Disabled Persons' Federation: rehabilitation, assistive devices (残疾人联合会)."""
    HOUSING = "housing", "住建", "住建局", "住房城乡建设部门"
    """Housing and urban-rural development: housing safety and repair (住房城乡建设部门)."""
    HUMAN_RESOURCES = "human_resources", "人社", "人社局", "人力资源社会保障部门"
    """Human resources and social security: jobs, pensions (人力资源社会保障部门)."""
    MEDICAL_SECURITY = "medical_security", "医保", "医保局", "医疗保障部门"
    """Medical security bureau: medical insurance and medical assistance (医疗保障部门)."""
    PUBLIC_SECURITY = "public_security", "公安", "公安局", "派出所"
    """Public security: missing persons, domestic violence, household registration (公安机关)."""
    CIVIL_AFFAIRS = "civil_affairs", "民政", "民政局", "民政部门"
    """Civil affairs: assistance, elderly and child welfare (民政部门)."""
    WOMEN_FEDERATION = "women_federation", "妇联", "妇女联合会"
    """Women's Federation: women's and family rights (妇女联合会)."""
    OTHER = "other", "其他", "其他单位"
    """Another receiving unit; name it in the record (其他单位)."""


class ReferralStatus(BilingualEnum):
    """Where a referral stands (转介状态)."""

    SENT = "sent", "已转介"
    """Sent, not yet accepted (已转介)."""
    ACCEPTED = "accepted", "已受理"
    """The receiving unit accepted it (已受理)."""
    FEEDBACK = "feedback", "已反馈"
    """The receiving unit reported back (已反馈)."""
    CLOSED = "closed", "已办结"
    """Done: feedback received and the matter settled (已办结)."""
    RETURNED = "returned", "退回", "已退回"
    """The receiving unit sent it back (退回)."""


class SupervisionMode(BilingualEnum):
    """How a supervision session was held (督导方式)."""

    FIELD = "field", "实地督导", "实地"
    """On site, at the supervisee's station or room (实地督导)."""
    CENTRALISED = "centralised", "集中督导", "集中"
    """Many supervisees gathered in one place (集中督导)."""
    ONLINE = "online", "线上督导", "线上"
    """By video or phone (线上督导)."""


class TrainingKind(BilingualEnum):
    """Kind of a training event for social workers (培训类型)."""

    COURSE = "course", "专业培训", "课程", "培训"
    """A course or lecture (专业培训课程)."""
    STUDY_VISIT = "study_visit", "研学参访", "外出研学", "参访"
    """A study visit to another locality (外出研学参访)."""
    CONTINUING_EDUCATION = "continuing_education", "继续教育"
    """Registered continuing education (继续教育)."""
    EXCHANGE = "exchange", "交流会", "工作交流"
    """A work exchange or case conference (工作交流)."""


class SpendingCategory(BilingualEnum):
    """What a project's money was spent on (支出类别)."""

    PERSONNEL = "personnel", "人员经费", "人员费用"
    """Salaries and insurance of project staff (人员经费)."""
    ACTIVITIES = "activities", "活动经费", "活动费用", "业务活动费"
    """Activities, materials and services for recipients (活动经费)."""
    ADMINISTRATION = "administration", "管理费用", "行政费用"
    """Management and administration (管理费用)."""
    OTHER = "other", "其他支出", "其他"
    """Anything else (其他支出)."""


class ChildWelfareRole(BilingualEnum):
    """A child-welfare post at the grassroots (基层儿童福利岗位)."""

    DIRECTOR = "director", "儿童主任", "村（居）儿童主任"
    """Village or community child-welfare director (儿童主任)."""
    SUPERVISOR = "supervisor", "儿童督导员", "乡镇（街道）儿童督导员"
    """Township or street child-welfare supervisor (儿童督导员)."""


class HonourKind(BilingualEnum):
    """What kind of recognition a record is (荣誉类型).

    Seed 002 names all four: 金牛区's 示范社会工作服务站, its 一站一品 brands and its
    优秀社工; seed 001 湖北's prize-winning papers, cases and photographs.
    """

    HONOUR = "honour", "荣誉表彰", "表彰", "荣誉"
    """A title awarded to a person, station or organisation, e.g. 优秀社工 (荣誉表彰)."""
    DEMONSTRATION = "demonstration", "示范站点", "示范"
    """Named a demonstration site, e.g. 示范社会工作服务站 (示范站点)."""
    BRAND = "brand", "服务品牌", "一站一品", "品牌"
    """A service brand a station or organisation is known by (服务品牌)."""
    AWARD = "award", "评选获奖", "获奖"
    """A prize in a call for papers, cases or photographs (评选获奖)."""


class PilotPhase(BilingualEnum):
    """Where a station stands in a pilot programme (试点阶段).

    A programme names pilot stations first (试点), sums them up and then widens to
    further stations (扩面); pilot stations that carry on become regular (常态化).
    """

    PILOT = "pilot", "试点"
    """Chosen as a pilot (试点)."""
    REGULAR = "regular", "常态化", "试点转常态"
    """A former pilot that carries on after the pilot is summed up (常态化运行)."""
    EXPANSION = "expansion", "扩面", "推广"
    """Added when the programme widens beyond the pilots (扩面)."""


class ProjectOrigin(BilingualEnum):
    """How a service project came to a locality (项目来源).

    Seed 003: 叙州区's centre "成功包装社会服务项目7个，引进成熟项目4个".
    """

    PACKAGED = "packaged", "包装项目", "包装"
    """Designed locally and packaged for funding (包装项目)."""
    INTRODUCED = "introduced", "引进项目", "引进成熟项目", "引进"
    """A proven project brought in from elsewhere (引进项目)."""
    LOCAL = "local", "自主项目", "自主"
    """Run by the locality on its own design without packaging (自主项目)."""


class ConveningKind(BilingualEnum):
    """A civil-affairs department's gathering: a meeting or a training (会议培训类型)."""

    MEETING = "meeting", "会议", "视频会"
    """A meeting, e.g. a video conference across levels (会议)."""
    TRAINING = "training", "培训班", "培训"
    """A training course people register for (培训班)."""


class TimeBankEntryKind(BilingualEnum):
    """A time bank's entry: hours deposited or redeemed (时间银行记录类型)."""

    DEPOSIT = "deposit", "存入", "存储"
    """Service hours given and banked (存入)."""
    REDEEM = "redeem", "兑换", "支取"
    """Banked hours taken out as service received (兑换)."""


_REMOVED = {
    "ConsentKind": (
        "ConsentKind was removed: a consent's kind is its lawful basis "
        "(wushe.vocab.LawfulBasis: consent, guardian_consent, statutory_duty, "
        "vital_interests), and who gave it is wushe.vocab.ConsentGiver"
    ),
}


def __getattr__(name: str) -> Any:
    """Say what replaced a removed name (已移除名称)."""
    if name in _REMOVED:
        raise AttributeError(_REMOVED[name])
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
