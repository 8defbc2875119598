"""wushe (五社): typed models and algorithms for 五社联动 community social work.

The five actors — community (社区), social organisations (社会组织), social workers
(社会工作者), community volunteers (社区志愿者) and charitable resources (社会慈善资源) — as
validated models, with the station network that organises them and the engines that pair
needs with actors, evaluate projects and schedule care visits.
"""

import logging as _logging
from importlib.metadata import version as _version

from wushe import (
    care,
    codes,
    evaluation,
    examples,
    exceptions,
    io,
    matching,
    models,
    network,
    privacy,
    scale,
    vocab,
)
from wushe._types import Progress
from wushe.care import VisitPolicy, schedule
from wushe.evaluation import EvaluationReport, Rubric, evaluate
from wushe.exceptions import (
    DatasetError,
    LoadError,
    MissingDependencyError,
    WusheError,
)
from wushe.io import LoadReport, dump_dataset, load_dataset, load_report
from wushe.matching import MatchPlan, MatchPolicy, match
from wushe.models import (
    Activity,
    Case,
    CaseSession,
    CharitableResource,
    Community,
    Dataset,
    Division,
    Household,
    Need,
    PersonLink,
    Recipient,
    Referral,
    ServiceProject,
    SocialOrganization,
    SocialWorker,
    Station,
    Supervision,
    Training,
    Volunteer,
    VolunteerTeam,
)
from wushe.network import StationNetwork
from wushe.vocab import (
    ActivityType,
    ActorKind,
    Grade,
    IncubationStage,
    OrganizationType,
    Qualification,
    RegistrationMode,
    ResourceKind,
    ServiceCategory,
    StationLevel,
    TargetGroup,
)

__version__ = _version("wushe")

# Library convention: wushe's loggers stay silent until the application configures logging.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())

__all__ = [
    "Activity",
    "ActivityType",
    "ActorKind",
    "Case",
    "CaseSession",
    "CharitableResource",
    "Community",
    "Dataset",
    "DatasetError",
    "Division",
    "EvaluationReport",
    "Grade",
    "Household",
    "IncubationStage",
    "LoadError",
    "LoadReport",
    "MatchPlan",
    "MatchPolicy",
    "MissingDependencyError",
    "Need",
    "OrganizationType",
    "PersonLink",
    "Progress",
    "Qualification",
    "Recipient",
    "Referral",
    "RegistrationMode",
    "ResourceKind",
    "Rubric",
    "ServiceCategory",
    "ServiceProject",
    "SocialOrganization",
    "SocialWorker",
    "Station",
    "StationLevel",
    "StationNetwork",
    "Supervision",
    "TargetGroup",
    "Training",
    "VisitPolicy",
    "Volunteer",
    "VolunteerTeam",
    "WusheError",
    "__version__",
    "care",
    "codes",
    "dump_dataset",
    "evaluate",
    "evaluation",
    "examples",
    "exceptions",
    "io",
    "load_dataset",
    "load_report",
    "match",
    "matching",
    "models",
    "network",
    "privacy",
    "scale",
    "schedule",
    "vocab",
]
