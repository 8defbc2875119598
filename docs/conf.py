"""Sphinx configuration for the wushe documentation."""

from __future__ import annotations

import os
from importlib.metadata import version as _version

project = "wushe 五社"
author = "The wushe developers"
copyright = "2026, the wushe developers"
release = _version("wushe")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx_copybutton",
]
if os.environ.get(
    "WUSHE_DOCS_INTERSPHINX"
):  # off by default: no internet on build machines
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {"python": ("https://docs.python.org/3", None)}

source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "wushe 五社"
language = "en"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {
    "members": True,
    "exclude-members": "model_config, model_fields, model_computed_fields, model_post_init",
    "show-inheritance": False,
}
autodoc_class_signature = "separated"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

nitpicky = True
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(argparse|collections\.abc|typing|typing_extensions|pydantic|pydantic_core|networkx|attrs|annotated_types|enum|pathlib|datetime|decimal|_io|io|types|numpy|matplotlib)\..*",
    ),
    (
        r"py:.*",
        r"(Decimal|date|datetime|Path|TextIO|Sequence|Mapping|Iterable|Iterator|Any|Self|T|ClassVar|Literal|Annotated|TypeAlias|FieldInfo|ComputedFieldInfo|ConfigDict|SerializationInfo|GetCoreSchemaHandler|GetJsonSchemaHandler|JsonSchemaValue|CoreSchema|StrEnum|DiGraph|Graph|BaseModel|Field|NoneType|EllipsisType|ellipsis)",
    ),
    (r"py:.*", r"(NDArray|np\.\w+)"),  # numpy's typing names
    (r"py:.*", r"wushe\._types\..*"),
    (r"py:.*", r"(SortedFrozenSet|SORTED_IN_JSON)"),  # wushe._types's sorted sets
    (r"py:.*", r"nx\.DiGraph"),  # networkx, as spelled in wushe.network's annotations
    (r"py:.*", r"wushe(\.\w+)*\._\w+\..*"),  # private module paths of public names
    (r"py:.*", r"wushe\.(privacy|cli)\.T"),
    (r"py:.*", r"wushe\.vocab\._T"),  # in_lang's type variable
    (
        r"py:.*",
        r"(Identifier|StationId|CommunityId|OrganizationId|WorkerId|VolunteerId|TeamId|ResourceId|RecipientId|NeedId|ProjectId|ActivityId|HouseholdId|PersonId|CaseId|SessionId|ReferralId|SupervisionId|TrainingId|ContractId|SpendingId|IncubatorId|IncubationId|DivisionCode|CreditCode|ResidentIdNumber|MobilePhone|Role)",
    ),
]


def _keep_attribute_docstrings_verbatim() -> None:
    # Napoleon reads "Word: text" on an attribute docstring's first line as "type: text".
    # wushe documents every field with a sentence that often holds a colon, and the type is
    # already in the signature, so attribute docstrings are passed through unchanged.
    from sphinx.ext.napoleon.docstring import GoogleDocstring  # noqa: PLC0415

    def parse(self: GoogleDocstring) -> list[str]:
        return self._consume_to_end()  # type: ignore[no-any-return]

    GoogleDocstring._parse_attribute_docstring = parse  # type: ignore[method-assign]


_keep_attribute_docstrings_verbatim()
