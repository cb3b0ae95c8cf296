"""The conflict the suggestion tests share.

李工 works 主机房布线 (two days, critical in 数据中心机房) and 弱电调试 (one day, seven days of float in 门店弱电,
beside the eight-day 验收准备) on the same Monday, START: 200 %. 周工 has the same skill at the same level and
nothing to do; 王工 has it at a lower level. The clock stands on the Friday before.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.resources.choices import ConflictStatus
from tandem.resources.models import Conflict
from tandem.resources.services.conflicts import conflicts_refresh
from tandem.resources.tests.factories import make_allocation, make_resource
from tandem.testing.kit import access_for

FRIDAY_BEFORE = datetime(2025, 2, 28, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def build_plan(tenant) -> dict:
    member = pm_member(tenant)
    vip = make_project(tenant, member=member, name="数据中心机房")
    small = make_project(tenant, member=member, name="门店弱电")
    (critical,) = make_chain(vip, member, "主机房布线", days=2)
    (long_,) = make_chain(small, member, "验收准备", days=8)
    (short,) = make_chain(small, member, "弱电调试", days=1)
    engineer = make_resource(tenant, "李工", skills=[("弱电调试", 4)])
    fitter = make_resource(tenant, "周工", skills=[("弱电调试", 4), ("电工", 2)])
    make_resource(tenant, "王工", skills=[("弱电调试", 2)])  # not skilled enough
    make_allocation(engineer, critical, member)
    make_allocation(engineer, short, member)
    conflicts_refresh(tenant_id=tenant.pk)
    conflict = Conflict.objects.get(tenant=tenant, resource=engineer, status=ConflictStatus.OPEN)
    return {
        "member": member,
        "access": access_for(member),
        "vip": vip,
        "small": small,
        "critical": critical,
        "long": long_,
        "short": short,
        "engineer": engineer,
        "fitter": fitter,
        "conflict": conflict,
    }
