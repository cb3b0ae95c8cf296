"""The data-scope ladder (own → subordinates → department → department tree → all), shares,
records under an owned parent, and the recycle bin — through `restrict()` and through the API."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tandem.accounts.models import Department, Role
from tandem.core.models import RecordShare
from tandem.testing.kit import access_for, api_client, make_member, make_tenant
from tandem.testing.models import SampleItem, SampleRecord

RECORDS_API = "/testing/api/records/"
ITEMS_API = "/testing/api/items/"
EVERYONE = {"zhao", "feng", "qian", "sun", "li", "zhou", "wu"}


@pytest.fixture
def org(tenant):
    """销售部 (head 赵, who sits in no department) → 销售一组 (head 钱), 销售二组; 工程部.

    Reporting lines: 钱 → 赵, 孙 → 钱 (so 孙 reaches 赵 only through 钱), 李 → 赵.
    Every member owns one live record named after them; 赵 also has one in the recycle bin.
    """
    sales = Department.objects.create(tenant=tenant, name="销售部")
    group_one = Department.objects.create(tenant=tenant, name="销售一组", parent=sales)
    group_two = Department.objects.create(tenant=tenant, name="销售二组", parent=sales)
    engineering = Department.objects.create(tenant=tenant, name="工程部")

    people = {}
    people["zhao"] = make_member(tenant, username="zhao", display_name="赵总")
    people["feng"] = make_member(tenant, username="feng", department=sales)
    people["qian"] = make_member(tenant, username="qian", department=group_one, manager=people["zhao"].user)
    people["sun"] = make_member(tenant, username="sun", department=group_one, manager=people["qian"].user)
    people["li"] = make_member(tenant, username="li", department=group_two, manager=people["zhao"].user)
    people["zhou"] = make_member(tenant, username="zhou", department=group_two)
    people["wu"] = make_member(tenant, username="wu", department=engineering)
    sales.head = people["zhao"].user
    sales.save(update_fields=["head"])
    group_one.head = people["qian"].user
    group_one.save(update_fields=["head"])

    records = {
        key: SampleRecord.objects.create(tenant=tenant, owner=member.user, name=f"rec-{key}")
        for key, member in people.items()
    }
    SampleRecord.objects.create(
        tenant=tenant, owner=people["zhao"].user, name="rec-zhao-deleted", deleted_at=timezone.now()
    )
    foreign = make_tenant()
    SampleRecord.objects.create(tenant=foreign, owner=make_member(foreign).user, name="rec-foreign")
    return SimpleNamespace(tenant=tenant, people=people, records=records)


def grant(member, scope: str, *codes: str) -> None:
    """Give the member exactly one custom role: these permission codes at this data scope."""
    role = Role.objects.create(
        tenant=member.tenant,
        key=f"r{member.pk}-{scope}",
        name=f"{scope} role",
        permissions=list(codes),
        data_scope=scope,
    )
    member.roles.set([role])


def share(org, record, user_key: str, level: str, *, expires_at=None) -> RecordShare:
    return RecordShare.objects.create(
        tenant=org.tenant,
        content_type=ContentType.objects.get_for_model(SampleRecord),
        object_id=record.pk,
        user=org.people[user_key].user,
        level=level,
        expires_at=expires_at,
    )


def visible_via_restrict(member, action: str = "view") -> set[str]:
    names = SampleRecord.objects.restrict(access_for(member), action).values_list("name", flat=True)
    return {name.removeprefix("rec-") for name in names}


def visible_via_api(member, url: str = RECORDS_API, field: str = "name") -> set[str]:
    response = api_client(member).get(url, {"page_size": 500})
    assert response.status_code == 200, response.content
    return {row[field].removeprefix("rec-") for row in response.json()["results"]}


LADDER = [
    ("zhao", "own", {"zhao"}),
    ("zhao", "subordinates", {"zhao", "qian", "sun", "li"}),
    # 赵 sits in no department: as head of 销售部 he sees its direct members…
    ("zhao", "department", {"zhao", "feng"}),
    # …and, with the tree, both groups under it, but not 工程部.
    ("zhao", "department_tree", {"zhao", "feng", "qian", "sun", "li", "zhou"}),
    ("zhao", "all", EVERYONE),
    ("qian", "own", {"qian"}),
    ("qian", "subordinates", {"qian", "sun"}),
    ("qian", "department", {"qian", "sun"}),
    ("qian", "department_tree", {"qian", "sun"}),
    ("sun", "subordinates", {"sun"}),
    ("li", "department", {"li", "zhou"}),
    ("zhou", "subordinates", {"zhou"}),
    ("zhou", "department_tree", {"zhou", "li"}),
    ("wu", "department_tree", {"wu"}),
    ("wu", "all", EVERYONE),
]


@pytest.mark.parametrize(("who", "scope", "expected"), LADDER, ids=[f"{w}-{s}" for w, s, _e in LADDER])
def test_scope_ladder_decides_exactly_which_records_a_member_sees(org, who, scope, expected):
    member = org.people[who]
    grant(member, scope, "testing.view_samplerecord")
    # Neither the recycle bin nor the other tenant ever shows up, whatever the scope.
    assert visible_via_restrict(member) == expected
    assert visible_via_api(member) == expected


def test_the_widest_scope_of_several_roles_wins(org):
    member = org.people["qian"]
    narrow = Role.objects.create(
        tenant=org.tenant, key="narrow", name="narrow", permissions=["testing.*"], data_scope="own"
    )
    wide = Role.objects.create(
        tenant=org.tenant, key="wide", name="wide", permissions=["testing.view_samplerecord"], data_scope="department"
    )
    member.roles.set([narrow, wide])
    assert visible_via_restrict(member) == {"qian", "sun"}
    assert visible_via_restrict(member, "delete") == {"qian"}  # only the narrow role grants delete


def test_a_member_without_the_permission_sees_nothing_but_what_is_shared(org):
    member = org.people["wu"]
    assert visible_via_restrict(member) == set()
    share(org, org.records["feng"], "wu", RecordShare.Level.READ)
    assert visible_via_restrict(member) == {"feng"}
    assert api_client(member).get(RECORDS_API).status_code == 403


def test_shares_add_records_until_they_expire(org):
    zhou = org.people["zhou"]
    grant(zhou, "own", "testing.view_samplerecord", "testing.change_samplerecord")
    now = timezone.now()
    share(org, org.records["feng"], "zhou", RecordShare.Level.READ)
    share(org, org.records["wu"], "zhou", RecordShare.Level.WRITE, expires_at=now + timedelta(days=1))
    share(org, org.records["zhao"], "zhou", RecordShare.Level.WRITE, expires_at=now - timedelta(minutes=1))
    # A share with another colleague does not reach zhou.
    share(org, org.records["qian"], "sun", RecordShare.Level.WRITE)

    assert visible_via_restrict(zhou) == {"zhou", "feng", "wu"}
    assert visible_via_api(zhou) == {"zhou", "feng", "wu"}
    # Writing needs a write share: the read share does not count, the expired one neither.
    assert visible_via_restrict(zhou, "change") == {"zhou", "wu"}


def test_delete_through_a_read_share_is_refused_and_changes_nothing(org):
    zhou = org.people["zhou"]
    grant(zhou, "own", "testing.view_samplerecord", "testing.delete_samplerecord")
    record = org.records["feng"]
    share(org, record, "zhou", RecordShare.Level.READ)
    client = api_client(zhou)
    assert client.get(f"{RECORDS_API}{record.pk}/").status_code == 200

    response = client.delete(f"{RECORDS_API}{record.pk}/")
    assert response.status_code in (403, 404)
    record.refresh_from_db()
    assert record.deleted_at is None


def test_delete_through_a_write_share_needs_the_delete_permission(org):
    zhou = org.people["zhou"]
    grant(zhou, "own", "testing.view_samplerecord")
    record = org.records["feng"]
    share(org, record, "zhou", RecordShare.Level.WRITE)

    assert api_client(zhou).delete(f"{RECORDS_API}{record.pk}/").status_code == 403
    record.refresh_from_db()
    assert record.deleted_at is None


def test_delete_through_a_write_share_with_the_permission_moves_the_record_to_the_recycle_bin(org):
    zhou = org.people["zhou"]
    grant(zhou, "own", "testing.view_samplerecord", "testing.delete_samplerecord")
    record = org.records["feng"]
    share(org, record, "zhou", RecordShare.Level.WRITE)
    client = api_client(zhou)

    assert client.delete(f"{RECORDS_API}{record.pk}/").status_code == 204

    record = SampleRecord.all_objects.get(pk=record.pk)
    assert record.deleted_at is not None
    assert record.deleted_by_id == zhou.user_id
    assert visible_via_api(zhou) == {"zhou"}
    assert client.get(f"{RECORDS_API}{record.pk}/").status_code == 404
    # Soft-deleted is invisible to everyone, the owner included, whatever the scope.
    feng = org.people["feng"]
    grant(feng, "all", "testing.view_samplerecord")
    assert "feng" not in visible_via_restrict(feng)


def test_owner_of_a_record_sees_items_colleagues_created_under_it(org):
    people, records = org.people, org.records

    def item(record_key, author_key, title):
        SampleItem.objects.create(
            tenant=org.tenant, record=records[record_key], created_by=people[author_key].user, title=title
        )

    item("feng", "li", "li-under-feng")
    item("feng", "wu", "wu-under-feng")
    item("feng", "feng", "feng-under-feng")
    item("wu", "feng", "feng-under-wu")
    item("wu", "wu", "wu-under-wu")
    item("qian", "qian", "qian-under-qian")

    feng = people["feng"]
    grant(feng, "own", "testing.view_sampleitem")
    expected = {"li-under-feng", "wu-under-feng", "feng-under-feng", "feng-under-wu"}
    assert set(SampleItem.objects.restrict(access_for(feng)).values_list("title", flat=True)) == expected
    assert visible_via_api(feng, ITEMS_API, "title") == expected

    # Items under a record shared with the caller come along with the record.
    zhou = people["zhou"]
    grant(zhou, "own", "testing.view_sampleitem")
    share(org, records["qian"], "zhou", RecordShare.Level.READ)
    assert visible_via_api(zhou, ITEMS_API, "title") == {"qian-under-qian"}


def test_a_departed_members_records_stay_visible_to_their_manager_and_department(org):
    """Deactivating 孙 must not hide his customers from 钱, who has to hand them over."""
    sun = org.people["sun"]
    sun.is_active = False
    sun.save(update_fields=["is_active"])
    grant(org.people["qian"], "subordinates", "testing.view_samplerecord")
    assert visible_via_restrict(org.people["qian"]) == {"qian", "sun"}
    grant(org.people["qian"], "department", "testing.view_samplerecord")
    assert visible_via_restrict(org.people["qian"]) == {"qian", "sun"}
