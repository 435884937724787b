"""server/jobs.py: the JobStore's keys against a real redis-server, with the store's clock controlled."""
from __future__ import annotations

import time
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
    store.register_unless_full("j1")
    assert store.exists("j1") and not store.has_started("j1")
    assert 100 < client.ttl("stableconfigs:job:j1") <= 107
    assert store.start_attempt("j1", 500) == 1 and store.start_attempt("j1", 500) == 2
    assert store.has_started("j1") and 400 < client.ttl("stableconfigs:job:j1") <= 500


def test_forget_drops_an_id_and_its_counter(client: redis.Redis) -> None:
    store = JobStore(client, Settings())
    store.register_unless_full("j2")
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


def test_register_unless_full_registers_in_one_step_or_reports_the_queue(client: redis.Redis) -> None:
    store = JobStore(client, Settings(queue_name="q", max_queued=2))
    assert store.register_unless_full("a") is None and store.exists("a")
    client.rpush("q", "m1", "m2")
    assert store.register_unless_full("b") == 2 and not store.exists("b")


def test_finish_expires_the_id_with_its_answer_and_wakes_every_long_poll(client: redis.Redis) -> None:
    store = JobStore(client, Settings(result_expires=50))
    store.register_unless_full("j4")
    store.start_attempt("j4", 500)
    exists, raw, seen = store.read_watched("j4", "result:j4")
    assert (exists, raw) == (True, None)
    assert not store.wait_change("j4", seen, 0.05)  # nothing happened: waits out its time
    client.set("result:j4", "answer", ex=20)
    store.finish("j4", "result:j4")
    assert 0 < client.pttl("stableconfigs:job:j4") <= client.pttl("result:j4") + 5  # never outlives it
    assert store.read("j4", "result:j4") == (True, b"answer")
    assert store.wait_change("j4", seen, 5) and store.wait_change("j4", seen, 5)  # every waiter, at once
    assert not store.wait_change("j4", store.read_watched("j4", "result:j4")[2], 0.05)  # seen: no change
    store.register_unless_full("j5")
    store.finish("j5", "result:none")  # an answer without expiry: the configured one
    assert 45_000 < client.pttl("stableconfigs:job:j5") <= 50_000


def test_record_stores_a_state_wakes_waiters_and_never_overwrites_an_answer(client: redis.Redis) -> None:
    store = JobStore(client, Settings())
    store.register_unless_full("j7")
    store.start_attempt("j7", 500)
    seen = store.read_watched("j7", "result:j7")[2]
    assert store.record("j7", "result:j7", '{"status": "PROGRESS", "result": {"count": 1}}', 30, final=False)
    assert store.wait_change("j7", seen, 5)  # progress wakes a long poll
    assert client.pttl("stableconfigs:job:j7") > 400_000  # a running job keeps its id
    seen = store.read_watched("j7", "result:j7")[2]
    assert not store.wait_change("j7", seen, 0.05)
    answer = '{"status": "SUCCESS", "result": 1}'
    assert store.record("j7", "result:j7", answer, 20, final=True)
    assert store.wait_change("j7", seen, 5)  # and so does the end
    assert 0 < client.pttl("stableconfigs:job:j7") <= 20_000  # the id expires with the answer
    assert not store.record("j7", "result:j7", '{"status": "FAILURE", "result": 2}', 20, final=True)
    assert client.get("result:j7") == answer.encode()  # a late duplicate never overwrites it


def test_deliver_counts_and_reads_in_one_step(client: redis.Redis) -> None:
    store = JobStore(client, Settings())
    store.register_unless_full("j6")
    first = store.deliver("j6", "result:j6", 60)
    assert (first.stored, first.attempt, first.cancelled) == (None, 1, False)
    store.request_cancel("j6")
    client.set("result:j6", "x")
    assert store.deliver("j6", "result:j6", 60) == type(first)(b"x", 2, True)


def test_heartbeats_name_the_live_workers_until_they_expire_or_stop(client: redis.Redis) -> None:
    store = JobStore(client, Settings())
    store.beat("w1@h", 60)
    store.beat("w2@h", 0.05)
    store.beat("w3@h", 60)
    store.drop_worker("w3@h")
    deadline = time.monotonic() + 5
    while "w2@h" in store.live_workers():  # expires on Redis's clock
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert store.live_workers() == ["w1@h"]
    assert client.smembers("stableconfigs:workers") == {b"w1@h"}  # the expired one is forgotten too
