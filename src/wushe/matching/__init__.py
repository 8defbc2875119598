"""Pair needs with the actors who can meet them (需求与服务力量匹配).

:func:`match` is the one call most users need; :func:`build_candidates` and
:func:`solve_candidates` split it into its two phases for power users and benchmarks.
No role's actors are given a recipient whose data they may not receive (see
:attr:`MatchPolicy.purposes`); :func:`plan_handovers` gives each actor the minimum details
the purpose needs.
"""

from wushe.matching._apply import AppliedPlan, apply_plan
from wushe.matching._candidates import (
    AMOUNT_SCALE,
    CandidateEdge,
    CandidateGraph,
    CandidateSet,
    build_candidates,
    tier_of,
)
from wushe.matching._handover import (
    HANDOVER_FIELDS,
    Handover,
    handover,
    plan_handovers,
)
from wushe.matching._match import match, solve_candidates
from wushe.matching._open_case import open_case
from wushe.matching._plan import (
    Assignment,
    Linkage,
    MatchPlan,
    MatchRole,
    Proximity,
    ScoreBreakdown,
    TakenBy,
    Unmatched,
)
from wushe.matching._policy import (
    DEFAULT_PURPOSES,
    Decline,
    DeclineConsequence,
    DeclineReason,
    DeclineRule,
    MatchPolicy,
    ScoreWeights,
)
from wushe.matching._reasons import Department, ReasonCode, referral_for
from wushe.matching._simulate import (
    AddActors,
    AmountChange,
    CapacityChange,
    CloneActor,
    Scenario,
    ScenarioOutcome,
    Simulation,
    simulate,
)
from wushe.matching._solver import AssignmentResult, solve_assignment
from wushe.matching._stable import Preferences

__all__ = [
    "AMOUNT_SCALE",
    "DEFAULT_PURPOSES",
    "HANDOVER_FIELDS",
    "AddActors",
    "AmountChange",
    "AppliedPlan",
    "Assignment",
    "AssignmentResult",
    "CandidateEdge",
    "CandidateGraph",
    "CandidateSet",
    "CapacityChange",
    "CloneActor",
    "Decline",
    "DeclineConsequence",
    "DeclineReason",
    "DeclineRule",
    "Department",
    "Handover",
    "Linkage",
    "MatchPlan",
    "MatchPolicy",
    "MatchRole",
    "Preferences",
    "Proximity",
    "ReasonCode",
    "Scenario",
    "ScenarioOutcome",
    "ScoreBreakdown",
    "ScoreWeights",
    "Simulation",
    "TakenBy",
    "Unmatched",
    "apply_plan",
    "build_candidates",
    "handover",
    "match",
    "open_case",
    "plan_handovers",
    "referral_for",
    "simulate",
    "solve_assignment",
    "solve_candidates",
    "tier_of",
]
