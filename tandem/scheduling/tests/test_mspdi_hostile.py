"""Hostile or broken input never escapes as anything but ScheduleError with a code."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.scheduling.engine import mspdi
from tandem.scheduling.engine.model import ScheduleError

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&secret;</Name></Project>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<Project><Name>&lol9;</Name></Project>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://example.invalid/project.dtd">
<Project><StartDate>2024-01-01T08:00:00</StartDate></Project>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY % remote SYSTEM "http://example.invalid/x.dtd"> %remote;]>
<Project/>"""

VALID = b"""<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-01-01T08:00:00</StartDate>
<Tasks><Task><UID>1</UID><Name>a</Name><Duration>PT8H0M0S</Duration></Task>
<Task><UID>2</UID><Name>b</Name><Duration>PT8H0M0S</Duration>
<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>0</LinkLag></PredecessorLink></Task></Tasks>
</Project>"""


def code_of(source, **kwargs) -> str:
    with pytest.raises(ScheduleError) as error:
        mspdi.read(source, **kwargs)
    assert str(error.value)
    return error.value.code


@pytest.mark.parametrize("payload", [XXE, BILLION_LAUGHS, EXTERNAL_DTD, PARAMETER_ENTITY], ids=lambda p: p[40:70])
def test_dtds_entities_and_external_references_are_refused(payload):
    assert code_of(payload) == "unsafe_xml"


def test_the_refusal_does_not_leak_the_entity():
    with pytest.raises(ScheduleError) as error:
        mspdi.read(XXE)
    assert "root:" not in str(error.value)


def test_a_file_over_the_limit_is_refused_before_parsing(tmp_path):
    huge = b"<Project>" + b" " * (20 * 1024 * 1024) + b"</Project>"
    assert code_of(huge) == "too_large"
    assert code_of(io.BytesIO(huge)) == "too_large"
    path = tmp_path / "huge.xml"
    path.write_bytes(huge)
    assert code_of(path) == "too_large"
    assert code_of(VALID, max_bytes=100) == "too_large"


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"\x00\x01\x02\xff\xfe",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"PK\x03\x04 a zip file",
        b"<Project>",
        b"just text",
        "<Project><Name>\ud800</Name></Project>",
        b"<?xml version='1.0' encoding='klingon'?><Project/>",
    ],
)
def test_non_xml_is_malformed(payload):
    assert code_of(payload) == "malformed"


def test_a_missing_file_is_unreadable(tmp_path):
    assert code_of(tmp_path / "nope.xml") == "unreadable"


def test_deep_nesting_is_handled():
    deep = b"<Project>" + b"<a>" * 50_000 + b"</a>" * 50_000 + b"</Project>"
    assert code_of(deep) == "malformed"  # no StartDate; and no RecursionError on the way


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_schedule_error(payload):
    try:
        mspdi.read(payload)
    except ScheduleError as error:
        assert error.code in {"malformed", "unsafe_xml"}


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(VALID)), st.integers(0, len(VALID)), st.binary(max_size=8))
def test_damaged_files_raise_only_schedule_error(cut, at, noise):
    damaged = VALID[:at] + noise + VALID[at:cut] if at <= cut else VALID[:cut]
    try:
        document = mspdi.read(damaged)
    except ScheduleError as error:
        assert error.code in {"malformed", "unsafe_xml"}
    else:
        document.to_project()
