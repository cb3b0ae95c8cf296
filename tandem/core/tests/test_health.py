"""Liveness and readiness endpoints used by the load balancer and the deploy scripts."""

import socket
import uuid

import pytest
from huey import RedisHuey


def test_healthz_answers_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_ok_when_database_and_queue_answer(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "queue": "ok"}}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_queue(monkeypatch):
    """Point the queue the endpoint checks at a Redis URL (the scaled-out configuration)."""

    def use(url: str) -> RedisHuey:
        queue = RedisHuey(f"tandem-readyz-{uuid.uuid4().hex[:8]}", url=url)
        monkeypatch.setattr("huey.contrib.djhuey.HUEY", queue)
        return queue

    return use


def test_readyz_ok_with_a_reachable_redis_queue(client, db, redis_queue):
    redis_queue("redis://127.0.0.1:6379/0")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["queue"] == "ok"


def test_readyz_is_503_when_the_queue_is_unreachable(client, db, redis_queue):
    redis_queue(f"redis://127.0.0.1:{_closed_port()}/0")

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["queue"].startswith("error: ")
