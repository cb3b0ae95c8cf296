"""A large synthetic project for benchmarks: `scale_project(tenant_slug="demo", tasks=1000)`.

The WBS looks like a real building-services job cut into areas: each area is a summary task holding a
chain of trade work (~20 tasks) with a milestone at its end; about 1.5 links a task — the chain inside an
area (finish-to-start), start-to-start overlaps between trades and hand-overs to the next area. It goes
through the same bulk service as templates and MS Project imports, so it is audited and scheduled once.
"""

from __future__ import annotations

import random
from datetime import date

TRADES = ["测量放线", "预埋套管", "桥架安装", "风管安装", "水管安装", "电缆敷设", "设备就位", "配电柜安装", "调试"]
AREA_SIZE = 20


def scale_project(*, tenant_slug: str = "demo", tasks: int = 1000, seed: int = 7, username: str = "pm"):
    """Create one project of about `tasks` WBS rows (summaries included) and return it, scheduled."""
    from django.db import transaction

    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership
    from tandem.projects.services.bulk import LinkSpec, TaskSpec, wbs_bulk_create
    from tandem.projects.services.projects import project_create

    rng = random.Random(seed)
    membership = Membership.objects.select_related("tenant", "user").get(
        tenant__slug=tenant_slug, user__username=username
    )
    access = MembershipAccess(membership)
    specs: list[TaskSpec] = []
    links: list[LinkSpec] = []
    areas = max(1, -(-tasks // (AREA_SIZE + 1)))  # whole areas, at least `tasks` rows
    previous_area_last = None
    for area in range(areas):
        area_key = f"A{area}"
        specs.append(TaskSpec(key=area_key, name=f"{area // 10 + 1}号楼 {area % 10 + 1}层 机电安装"))
        chain = []
        for step in range(AREA_SIZE - 1):
            key = f"A{area}T{step}"
            trade = TRADES[step % len(TRADES)]
            days = rng.choice((1, 2, 2, 3, 3, 4, 5))
            specs.append(
                TaskSpec(key=key, name=f"{trade}-{step + 1:02d}", parent_key=area_key, values={"duration": days * 480})
            )
            chain.append(key)
        done = f"A{area}M"
        specs.append(
            TaskSpec(key=done, name="区域验收", parent_key=area_key, values={"duration": 0, "is_milestone": True})
        )
        chain.append(done)
        for before, after in zip(chain, chain[1:], strict=False):
            links.append(LinkSpec(before, after))
        for _ in range(AREA_SIZE // 2):
            a, b = sorted(rng.sample(range(len(chain) - 1), 2))
            if b - a > 1:
                links.append(LinkSpec(chain[a], chain[b], type=rng.choice(("SS", "FS")), lag=rng.choice((0, 0, 1, 2))))
        if previous_area_last is not None:
            links.append(LinkSpec(previous_area_last, chain[0], type="SS", lag=5))
        previous_area_last = chain[0]
    with transaction.atomic():
        project = project_create(access=access, name=f"压测项目 {tasks} 任务", start_date=date.today())
        wbs_bulk_create(project=project, actor=membership.user, tasks=specs, links=links)
    return project
