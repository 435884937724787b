"""server/jobs.py: the JobStore's keys against a real redis-server, with the store's clock controlled."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from server.config import Settings
from server.jobs import JobStore
from tests.live_stack import RedisServer

pytestmark = pytest.mark.live


class Clock:
    """A wall clock the test sets."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def db(redis_server: RedisServer) -> int:
    return redis_server.new_db()


@pytest.fixture
def client(redis_server: RedisServer, db: int) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_server.url(db))
    client.flushdb()
    yield client
    client.close()


def test_the_rate_limit_counts_per_client_per_clock_minute(client: redis.Redis) -> None:
    clock = Clock(600 * 60 + 57.0)  # three seconds before a minute ends
    store = JobStore(client, Settings(rate_limit=3), clock=clock)
    assert [store.over_rate_limit("1.2.3.4") for _ in range(4)] == [0, 0, 0, 3]
    assert store.over_rate_limit("5.6.7.8") == 0  # another client has its own count
    clock.now += 3  # the next minute: a fresh window
    assert store.over_rate_limit("1.2.3.4") == 0
    assert 0 < client.ttl("stableconfigs:rate:1.2.3.4:601") <= 61


def test_no_rate_limit_by_default(client: redis.Redis) -> None:
    store = JobStore(client, Settings())
    assert all(store.over_rate_limit("1.2.3.4") == 0 for _ in range(20))
    assert client.keys("stableconfigs:rate:*") == []


def test_an_id_lives_while_queued_then_expires_with_its_result(client: redis.Redis) -> None:
    settings = Settings(queue_expires=100, result_expires=7)
    store = JobStore(client, settings)
    store.register("j1")
    assert store.exists("j1") and not store.has_started("j1")
    assert 100 < client.ttl("stableconfigs:job:j1") <= 107
    assert store.start_attempt("j1", 500) == 1 and store.start_attempt("j1", 500) == 2
    assert store.has_started("j1") and 400 < client.ttl("stableconfigs:job:j1") <= 500
    store.keep_for("j1", settings.result_expires)
    assert 0 < client.ttl("stableconfigs:job:j1") <= 7 and 0 < client.ttl("stableconfigs:attempts:j1") <= 7


def test_forget_drops_an_id_and_its_counter(client: redis.Redis) -> None:
    store = JobStore(client, Settings())
    store.register("j2")
    store.start_attempt("j2", 60)
    store.forget("j2")
    assert not store.exists("j2") and not store.has_started("j2")


def test_cancel_flags_and_the_queue_length(client: redis.Redis) -> None:
    store = JobStore(client, Settings(queue_name="q"))
    assert not store.is_cancelled("j3")
    store.request_cancel("j3")
    assert store.is_cancelled("j3")
    client.rpush("q", "a", "b")
    assert store.queued_count() == 2
    assert not store.exists("x" * 65)  # longer than any id: never looked up
