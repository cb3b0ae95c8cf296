"""An HTTP POST that a tenant-supplied URL cannot turn against our own network (SSRF).

The host is resolved exactly once; if any of its addresses is internal the request is refused,
otherwise the socket connects to one of those vetted addresses, never to the name again, so a DNS
answer that changes between the check and the connect (DNS rebinding) cannot slip through. The
request still carries the original ``Host`` header and, for https, SNI and certificate checking
against the original name. Redirects are never followed: the receiver must fix its URL.

``allow_private`` is an installation setting for on-premise receivers: it lets loopback, private
(RFC 1918, ULA) and shared (100.64/10) addresses through. Cloud metadata, link-local, multicast,
unspecified and reserved addresses stay refused whatever the setting.
"""

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_RESPONSE_BODY = 64 * 1024
USER_AGENT = "Tandem-Webhooks/1"

# Instance metadata services hand out cloud credentials: AWS/GCP/Azure/Huawei (and AWS over IPv6),
# AWS ECS task metadata, Tencent Cloud, Alibaba Cloud. Link-local ones are refused as a range too;
# the others sit inside ranges that allow_private opens, hence the explicit list.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "fd00:ec2::254", "169.254.170.2", "169.254.0.23", "100.100.100.200")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_HEX_OR_DECIMAL_LABEL = re.compile(r"(0[xX][0-9a-fA-F]*|[0-9]+)")


class DeliveryError(Exception):
    """A delivery that got no HTTP answer; ``reason`` is shown in the delivery log."""

    retryable = True

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Refused(DeliveryError):
    """A delivery we would not attempt: a forbidden URL or address. Retrying cannot help."""

    retryable = False


@dataclass(frozen=True)
class Response:
    """What a receiver answered: status, headers (lower-case names), the first 64 KiB of the body."""

    status: int
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)
    elapsed: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def failure(self) -> str | None:
        """``None`` for a 2xx, else why the delivery failed, for the delivery log."""
        if self.ok:
            return None
        if 300 <= self.status < 400:
            location = self.headers.get("location", "")
            return f"redirect refused (HTTP {self.status} to {location or 'no location'})"
        return f"HTTP {self.status}"


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # IDNA-encoded name or IP literal without brackets
    port: int
    path: str  # path and query, as sent in the request line


def parse_url(url: str) -> _Target:
    """Split a webhook URL, refusing anything but a plain http(s) URL to a host name or canonical IP."""
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise Refused("the URL contains spaces or control characters")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused(f"only http and https URLs are allowed, not {scheme or 'a relative URL'!r}")
    if "@" in parts.netloc:
        raise Refused("URLs with a user name or password are not allowed")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise Refused("the URL has an invalid port") from None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Refused("the URL has no host")
    if _ip_literal(host) is None:
        if _looks_numeric(host):
            # 0x7f000001, 2130706433, 017700000001 and 127.1 all mean 127.0.0.1 to inet_aton; only the
            # canonical dotted quad is accepted so that what the admin reads is what we connect to.
            raise Refused(f"{host!r} is not a canonical IP address")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise Refused(f"{host!r} is not a valid host name") from None
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return _Target(scheme, host, port, path)


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _looks_numeric(host: str) -> bool:
    # The WHATWG URL standard treats a host whose last label is a number as an IPv4 address.
    return bool(_HEX_OR_DECIMAL_LABEL.fullmatch(host.rsplit(".", 1)[-1]))


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, compatible, NAT64, 6to4), if any."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal_reason(ip: IPAddress, *, allow_private: bool = False) -> str | None:
    """Why we must not connect to ``ip``, or ``None`` if it is fine."""
    ip = _embedded_ipv4(ip) or ip
    if ip in METADATA_ADDRESSES:
        return f"{ip} is a cloud metadata address"
    if ip.is_unspecified:
        return f"{ip} is the unspecified address"
    if ip.is_multicast:
        return f"{ip} is a multicast address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_loopback:
        kind = "loopback"
    elif ip.is_reserved:
        return f"{ip} is a reserved address"
    elif ip.is_private:
        kind = "private"
    elif not ip.is_global:
        kind = "non-public"
    else:
        return None
    if allow_private:
        return None
    return f"{ip} is a {kind} address"


def resolve(host: str, port: int, *, allow_private: bool = False) -> list[tuple[int, tuple]]:
    """Resolve ``host`` once; return ``(family, sockaddr)`` pairs, refusing if any address is forbidden."""
    literal = _ip_literal(host)
    try:
        infos = socket.getaddrinfo(
            host,
            port,
            type=socket.SOCK_STREAM,
            proto=socket.IPPROTO_TCP,
            flags=socket.AI_NUMERICHOST if literal else 0,
        )
    except socket.gaierror as error:
        raise DeliveryError(f"could not resolve {host}: {error.strerror}") from None
    addresses = []
    for family, _type, _proto, _canonname, sockaddr in infos:
        if (family, sockaddr) in addresses:
            continue
        # An attacker controls every record of their zone, so one bad address poisons the name.
        reason = refusal_reason(ipaddress.ip_address(sockaddr[0]), allow_private=allow_private)
        if reason:
            raise Refused(reason if literal else f"{host} resolves to {reason}")
        addresses.append((family, sockaddr))
    if not addresses:
        raise DeliveryError(f"{host} has no address")
    return addresses


def _connect(addresses: list[tuple[int, tuple]], timeout: float) -> socket.socket:
    last_error: OSError | None = None
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)
        except OSError as error:
            sock.close()
            last_error = error
            continue
        return sock
    assert last_error is not None
    raise last_error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to vetted addresses; ``self.host`` (Host header) stays the original name."""

    def __init__(self, host: str, port: int, addresses: list[tuple[int, tuple]], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses
        self.pinned_socket: socket.socket | None = None

    def connect(self) -> None:
        self.sock = self.pinned_socket = _connect(self._addresses, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The https variant: TLS on the pinned socket, with SNI and certificate check on the original name."""

    def __init__(
        self, host: str, port: int, addresses: list[tuple[int, tuple]], timeout: float, context: ssl.SSLContext
    ):
        super().__init__(host, port, timeout=timeout, context=context)
        self._addresses = addresses
        self._tls_context = context
        self.pinned_socket: socket.socket | None = None

    def connect(self) -> None:
        self.pinned_socket = raw = _connect(self._addresses, self.timeout)
        try:
            self.sock = self.pinned_socket = self._tls_context.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float = 10,
    allow_private: bool = False,
    ssl_context: ssl.SSLContext | None = None,
) -> Response:
    """POST ``body`` to ``url`` without following redirects, within ``timeout`` seconds in total.

    Returns the ``Response`` for any HTTP answer (a 3xx included: see ``Response.failure``); raises
    ``Refused`` for a forbidden URL or address, ``DeliveryError`` when no answer came back.
    """
    if any(name.lower() in ("host", "content-length") for name in headers):
        raise ValueError("post() sets the Host and Content-Length headers itself")
    started = time.monotonic()
    target = parse_url(url)
    addresses = resolve(target.host, target.port, allow_private=allow_private)
    remaining = max(timeout - (time.monotonic() - started), 0.001)
    if target.scheme == "https":
        context = ssl_context or ssl.create_default_context()
        conn = _PinnedHTTPSConnection(target.host, target.port, addresses, remaining, context)
    else:
        conn = _PinnedHTTPConnection(target.host, target.port, addresses, remaining)
    # Socket timeouts bound each read, not the whole exchange: a receiver dripping one byte at a time
    # would hold a worker forever, so a watchdog closes the socket when the deadline passes.
    deadline_passed = threading.Event()

    def abort() -> None:
        deadline_passed.set()
        # http.client hands the socket over to the response once the headers are read, so the
        # connection keeps its own reference; the plain socket method leaves TLS state alone.
        if conn.pinned_socket is not None:
            try:
                socket.socket.shutdown(conn.pinned_socket, socket.SHUT_RDWR)
            except OSError:
                pass

    watchdog = threading.Timer(remaining, abort)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.request(
            "POST",
            target.path,
            body=body,
            headers={"User-Agent": USER_AGENT, "Connection": "close", **headers},
        )
        answer = conn.getresponse()
        received = answer.read(MAX_RESPONSE_BODY)
        if deadline_passed.is_set():
            raise TimeoutError
        response_headers: dict[str, str] = {}
        for name, value in answer.getheaders():
            key = name.lower()
            response_headers[key] = f"{response_headers[key]}, {value}" if key in response_headers else value
        return Response(answer.status, response_headers, received, time.monotonic() - started)
    except ssl.SSLCertVerificationError as error:
        raise DeliveryError(f"TLS certificate of {target.host} rejected: {error.verify_message}") from None
    except (OSError, http.client.HTTPException) as error:
        if deadline_passed.is_set() or isinstance(error, TimeoutError):
            raise DeliveryError(f"no answer within {timeout:g} s") from None
        raise DeliveryError(_describe(error)) from None
    finally:
        watchdog.cancel()
        conn.close()


def _describe(error: Exception) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset"
    if isinstance(error, http.client.RemoteDisconnected):
        return "the receiver closed the connection without answering"
    if isinstance(error, ssl.SSLError):
        return f"TLS error: {error.reason or error}"
    if isinstance(error, http.client.HTTPException):
        return f"invalid HTTP answer: {type(error).__name__}"
    return f"network error: {getattr(error, 'strerror', None) or error}"
