"""The SSRF-safe POST against real receivers on 127.0.0.1, and the SSRF matrix of issue 5."""

import ipaddress
import socket
import time
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook

from tandem.automation.webhooks import net
from tandem.automation.webhooks.net import DeliveryError, Refused, parse_url, post, refusal_reason
from tandem.automation.webhooks.retry import is_retryable
from tandem.automation.webhooks.signing import new_message_id, new_secret, webhook_headers

BODY = b'{"type":"crm.deal.won","data":{"id":7}}'
JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.1:8000/hooks",
        "http://127.8.9.10/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0x7f000001/",
        "http://0X7F000001/",
        "http://2130706433/",
        "http://017700000001/",
        "http://127.1/",
        "http://0177.0.0.1/",
        "http://127.000.000.001/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::127.0.0.1]/",
        "http://[2002:7f00:1::]/",
        "http://localhost/",
        "http://localhost./",
        "http://LOCALHOST:8080/x",
        "http://10.0.0.5/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://[fd12:3456::1]/",
        "http://[fe80::1]/",
        "http://[fd00:ec2::254]/",
        "http://100.100.100.200/latest/meta-data/",
        "http://169.254.170.2/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://240.0.0.1/",
        "https://127.0.0.1/",
    ],
)
def test_internal_destinations_are_refused(url):
    with pytest.raises(Refused) as caught:
        post(url, BODY, JSON, timeout=1)
    assert caught.value.reason
    assert not is_retryable(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:169.254.169.254]/",
        "http://100.100.100.200/",
        "http://169.254.10.10/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://0x7f000001/",
    ],
)
def test_allow_private_still_refuses_metadata_link_local_and_odd_spellings(url):
    with pytest.raises(Refused):
        post(url, BODY, JSON, timeout=1, allow_private=True)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("/relative", "only http and https"),
        ("http://user:pass@example.com/", "user name or password"),
        ("http://user@example.com/", "user name or password"),
        ("http:///nohost", "no host"),
        ("http://example.com:99999/", "invalid port"),
        ("http://example.com/a b", "control characters"),
        ("http://example.com/\r\nX-Injected: 1", "control characters"),
    ],
)
def test_malformed_urls_are_refused(url, reason):
    with pytest.raises(Refused, match=reason):
        post(url, BODY, JSON)


def test_reasons_are_human_readable():
    assert refusal_reason(ipaddress.ip_address("169.254.169.254")) == "169.254.169.254 is a cloud metadata address"
    assert refusal_reason(ipaddress.ip_address("::ffff:127.0.0.1")) == "127.0.0.1 is a loopback address"
    assert refusal_reason(ipaddress.ip_address("10.1.2.3")) == "10.1.2.3 is a private address"
    assert refusal_reason(ipaddress.ip_address("10.1.2.3"), allow_private=True) is None
    with pytest.raises(Refused, match="'2130706433' is not a canonical IP address"):
        parse_url("http://2130706433/")
    with pytest.raises(Refused, match="localhost resolves to 127.0.0.1 is a loopback address"):
        post("http://localhost/", BODY, JSON)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8"]
)
def test_public_addresses_pass_the_check(address):
    assert refusal_reason(ipaddress.ip_address(address)) is None


def test_url_parts_are_kept_for_the_request():
    target = parse_url("HTTPS://Example.COM./hooks/in?tenant=7#frag")
    assert (target.scheme, target.host, target.port, target.path) == ("https", "example.com", 443, "/hooks/in?tenant=7")
    assert parse_url("http://[2606:4700::1111]:8080").host == "2606:4700::1111"
    assert parse_url("http://例子.测试/").host == "xn--fsqu00a.xn--0zwm56d"


def test_signed_webhook_reaches_a_local_receiver_and_verifies(receiver):
    secret = new_secret()
    msg_id = new_message_id()
    headers = {**JSON, **webhook_headers([secret], msg_id, BODY, now=datetime.now(UTC))}

    response = post(receiver.url(path="/hooks/in?x=1"), BODY, headers, timeout=5, allow_private=True)

    assert response.ok and response.status == 204 and response.failure is None
    assert response.elapsed < 5
    assert is_retryable(response) is False
    [request] = receiver.requests
    assert request.path == "/hooks/in?x=1"
    assert request.body == BODY
    assert request.headers["host"] == f"127.0.0.1:{receiver.port}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["content-length"] == str(len(BODY))
    assert request.headers["webhook-id"] == msg_id
    assert Webhook(secret).verify(request.body, request.headers) == {"type": "crm.deal.won", "data": {"id": 7}}


def test_host_name_is_resolved_once_and_sent_as_host(receiver, monkeypatch):
    lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def counting_getaddrinfo(host, *args, **kwargs):
        lookups.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(net.socket, "getaddrinfo", counting_getaddrinfo)
    response = post(receiver.url(host="localhost"), BODY, JSON, timeout=5, allow_private=True)

    assert response.status == 204
    assert lookups == ["localhost"]  # the connection used the vetted address, not a second lookup
    assert receiver.requests[0].headers["host"] == f"localhost:{receiver.port}"


def test_response_status_headers_and_capped_body_are_returned(receiver):
    receiver.status = 200
    receiver.headers = {"X-Receipt": "abc"}
    receiver.body = b"x" * (net.MAX_RESPONSE_BODY + 1000)
    response = post(receiver.url(), BODY, JSON, timeout=5, allow_private=True)
    assert response.status == 200
    assert response.headers["x-receipt"] == "abc"
    assert response.body == b"x" * net.MAX_RESPONSE_BODY


def test_redirect_to_a_private_address_is_not_followed(receiver, second_receiver):
    receiver.status = 302
    receiver.headers = {"Location": second_receiver.url(path="/internal")}

    response = post(receiver.url(), BODY, JSON, timeout=5, allow_private=True)

    assert response.status == 302
    assert response.failure == f"redirect refused (HTTP 302 to {second_receiver.url(path='/internal')})"
    assert not is_retryable(response)
    assert second_receiver.requests == []


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(500, True), (502, True), (503, True), (429, True), (408, True), (404, False), (400, False), (410, False)],
)
def test_error_statuses_are_failures_and_only_transient_ones_retry(receiver, status, retryable):
    receiver.status = status
    response = post(receiver.url(), BODY, JSON, timeout=5, allow_private=True)
    assert response.status == status
    assert response.failure == f"HTTP {status}"
    assert is_retryable(response) is retryable


def test_a_receiver_that_does_not_answer_times_out(receiver):
    receiver.delay = 5
    started = time.monotonic()
    with pytest.raises(DeliveryError, match="no answer within 0.3 s") as caught:
        post(receiver.url(), BODY, JSON, timeout=0.3, allow_private=True)
    assert time.monotonic() - started < 2
    assert is_retryable(caught.value)


def test_a_receiver_dripping_its_answer_is_cut_off_at_the_deadline(receiver):
    receiver.status = 200
    receiver.body = b"y" * 100
    receiver.drip_interval = 0.05  # each byte arrives well within a per-read timeout
    started = time.monotonic()
    with pytest.raises(DeliveryError, match="no answer within 0.5 s"):
        post(receiver.url(), BODY, JSON, timeout=0.5, allow_private=True)
    assert time.monotonic() - started < 1.5


def test_connection_refused_is_a_retryable_delivery_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DeliveryError, match="connection refused") as caught:
        post(f"http://127.0.0.1:{port}/", BODY, JSON, timeout=2, allow_private=True)
    assert not isinstance(caught.value, Refused)
    assert is_retryable(caught.value)


def test_https_checks_the_certificate_against_the_url_host(tls_receiver_factory):
    receiver, trusted = tls_receiver_factory("localhost")
    response = post(receiver.url(host="localhost"), BODY, JSON, timeout=5, allow_private=True, ssl_context=trusted)
    assert response.status == 204
    assert receiver.requests[0].headers["host"] == f"localhost:{receiver.port}"


def test_https_refuses_a_certificate_for_another_name(tls_receiver_factory):
    receiver, trusted = tls_receiver_factory("receiver.example")
    with pytest.raises(DeliveryError, match="TLS certificate of localhost rejected") as caught:
        post(receiver.url(host="localhost"), BODY, JSON, timeout=5, allow_private=True, ssl_context=trusted)
    assert is_retryable(caught.value)
    assert receiver.requests == []


def test_host_and_content_length_cannot_be_overridden(receiver):
    with pytest.raises(ValueError):
        post(receiver.url(), BODY, {"Host": "internal.example"}, allow_private=True)
