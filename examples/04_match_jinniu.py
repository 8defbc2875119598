"""Match the needs of 成都市金牛区 with its five-society actors (金牛区需求匹配).

Seed 002: the 金牛区 hub, 13 street stations and 90 community rooms. Every need is paired
with a lead social worker, volunteers, an organisation or donated resources; the plan is
exact for its stated objective, explains every open role and is written as JSON. Roles whose
recipient gave no consent or other lawful basis for the role's purpose stay open with
``no_lawful_basis``: the orphans under 14 on a statutory roster, and the elders who withdrew
their consent to volunteers during the year.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from wushe import examples, match
from wushe.io import explain_plan, plan_to_dict
from wushe.matching import ReasonCode


def main() -> None:
    ds = examples.load("jinniu")
    plan = match(ds.needs, ds)
    print(f"{ds.name}: {len(ds.needs)} needs, objective {plan.objective}")
    roles = Counter(a.role for a in plan.assignments)
    for role, n in sorted(roles.items(), key=lambda kv: kv[0].value):
        print(f"  {role.zh:<6}{n:>4} assignments")
    reasons = Counter(r for u in plan.unmatched for r in u.reasons)
    print(f"open roles: {len(plan.unmatched)}; most common reasons:")
    for code, n in reasons.most_common(3):
        print(f"  {code.value} ({code.zh}): {n}")
    served = plan.assignments[0].need_id
    print()
    print(explain_plan(plan, served, lang="zh"))
    print()
    other = next(u.need_id for u in plan.unmatched if u.need_id != served)
    print(explain_plan(plan, other, lang="en"))
    # Consent gates sharing: roles whose recipient gave no basis for the role's purpose.
    gated = [u for u in plan.unmatched if ReasonCode.NO_LAWFUL_BASIS in u.reasons]
    purposes = Counter(u.purpose.value for u in gated if u.purpose is not None)
    print(f"\nheld back for want of a lawful basis (无合法性基础): {len(gated)} roles")
    for purpose, n in sorted(purposes.items()):
        print(f"  {purpose}: {n}")
    print(explain_plan(plan, gated[0].need_id, lang="zh"))
    team = plan.linkage(served)
    print(
        f"\nteam for {served}: community {team.community_id}, worker {team.lead_worker_id}"
    )
    out = Path(os.environ.get("WUSHE_OUTPUT_DIR", "out"))
    out.mkdir(parents=True, exist_ok=True)
    path = out / "jinniu_plan.json"
    path.write_text(
        json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=1), "utf-8"
    )
    print(f"plan written to {path}")


if __name__ == "__main__":
    main()
