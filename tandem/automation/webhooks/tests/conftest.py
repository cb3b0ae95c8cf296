"""A real HTTP(S) receiver on 127.0.0.1 with an ephemeral port, scripted per test."""

import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers every POST with ``status``/``headers``/``body`` after ``delay`` s, recording the request."""

    server: ThreadingHTTPServer
    scheme: str = "http"
    status: int = 204
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0
    drip_interval: float = 0  # > 0: send the body one byte at a time
    requests: list[Received] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, host: str = "127.0.0.1", path: str = "/hooks") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"


def _handler(receiver_ref: list[Receiver]):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            receiver = receiver_ref[0]
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            if receiver.delay:
                receiver.released.wait(receiver.delay)
            self.send_response(receiver.status)
            for name, value in receiver.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(receiver.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if receiver.drip_interval:
                for byte in receiver.body:
                    if receiver.released.wait(receiver.drip_interval):
                        return
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:
                        return
            else:
                self.wfile.write(receiver.body)

    return Handler


def _start(tls_context: ssl.SSLContext | None = None):
    ref: list[Receiver] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(ref))
    server.daemon_threads = True
    if tls_context is not None:
        server.socket = tls_context.wrap_socket(server.socket, server_side=True)
    receiver = Receiver(server, scheme="https" if tls_context else "http")
    ref.append(receiver)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return receiver, thread


def _stop(receiver: Receiver, thread: threading.Thread) -> None:
    receiver.released.set()
    receiver.server.shutdown()
    receiver.server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def receiver():
    started = _start()
    yield started[0]
    _stop(*started)


@pytest.fixture
def second_receiver():
    started = _start()
    yield started[0]
    _stop(*started)


def self_signed_certificate(directory, name: str) -> tuple[str, str]:
    """A throwaway certificate for DNS name ``name``, made with the openssl command line."""
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


@pytest.fixture
def tls_receiver_factory(tmp_path):
    """Start an https receiver on 127.0.0.1 whose certificate names ``name``; returns it and a client context."""
    started = []

    def start(name: str) -> tuple[Receiver, ssl.SSLContext]:
        cert, key = self_signed_certificate(tmp_path, name)
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(cert, key)
        started.append(_start(server_context))
        return started[-1][0], ssl.create_default_context(cafile=cert)

    yield start
    for item in started:
        _stop(*item)
