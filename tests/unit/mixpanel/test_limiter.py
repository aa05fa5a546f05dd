"""The per-project gate: never more than 3 request starts in any 1-second window, never
more concurrent requests than Mixpanel allows per kind, safe across threads."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from tests.unit.mixpanel.fakes import FakeTime
from usage_analytics.mixpanel import ProjectLimiter, RateWindow, shared_limiter


def max_starts_in_any_window(starts: Sequence[float], seconds: float) -> int:
    ordered = sorted(starts)
    return max(
        (sum(1 for t in ordered if s <= t < s + seconds) for s in ordered),
        default=0,
    )


def test_given_seven_requests_at_once_then_they_start_three_per_second() -> None:
    fake = FakeTime()
    limiter = ProjectLimiter(margin=0.0, clock=fake.clock, sleep=fake.sleep)
    starts = []
    for _ in range(7):
        with limiter.slot("export"):
            starts.append(fake.now)
    assert starts == [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0]


def test_the_default_window_keeps_a_margin_for_network_jitter() -> None:
    """Spaced exactly 1 s apart here, requests can land closer together at Mixpanel."""
    fake = FakeTime()
    limiter = ProjectLimiter(clock=fake.clock, sleep=fake.sleep)
    starts = []
    for _ in range(4):
        with limiter.slot("export"):
            starts.append(fake.now)
    assert starts == [0.0, 0.0, 0.0, 1.25]


def test_given_spread_out_requests_then_none_waits() -> None:
    fake = FakeTime()
    limiter = ProjectLimiter(clock=fake.clock, sleep=fake.sleep)
    for _ in range(10):
        with limiter.slot("query"):
            pass
        fake.now += 0.45
    assert fake.waits == []


def test_given_many_threads_then_no_one_second_window_ever_holds_more_than_three_starts() -> None:
    fake = FakeTime()
    clock_lock = threading.Lock()
    last_read = threading.local()

    def clock() -> float:
        # the limiter reads the clock once per try, under its lock: the read that let a
        # thread in is its start time (other threads may move the clock right after)
        last_read.value = fake.now
        return last_read.value

    def sleep(seconds: float) -> None:
        with clock_lock:
            fake.sleep(seconds)

    limiter = ProjectLimiter(clock=clock, sleep=sleep)
    starts: list[float] = []
    starts_lock = threading.Lock()

    def worker() -> None:
        for _ in range(15):
            with limiter.slot("export"), starts_lock:
                starts.append(last_read.value)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(starts) == 120
    assert max_starts_in_any_window(starts, 1.0) <= 3
    assert max_starts_in_any_window(starts, 1.25) <= 3


def test_an_hourly_window_can_be_added() -> None:
    fake = FakeTime()
    limiter = ProjectLimiter(
        windows=(RateWindow(3, 1.0), RateWindow(60, 3600.0)), clock=fake.clock, sleep=fake.sleep
    )
    starts = []
    for _ in range(61):
        with limiter.slot("export"):
            starts.append(fake.now)
    assert starts[59] < 3600.0
    assert starts[60] >= 3600.0
    assert max_starts_in_any_window(starts, 3600.0) <= 60


def test_given_the_query_limit_of_five_then_a_sixth_concurrent_request_waits() -> None:
    # no rate windows: they would space the starts out in real time; only concurrency is tested
    limiter = ProjectLimiter(windows=(), concurrency={"export": 100, "query": 5})
    inside = 0
    most_inside = 0
    arrived = 0
    state = threading.Condition()
    release = threading.Event()

    def worker() -> None:
        nonlocal inside, most_inside, arrived
        with state:
            arrived += 1
            state.notify_all()
        with limiter.slot("query"):
            with state:
                inside += 1
                most_inside = max(most_inside, inside)
                state.notify_all()
            release.wait(timeout=30)
            with state:
                inside -= 1

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    with state:
        assert state.wait_for(lambda: arrived == 8 and inside >= 5, timeout=30)
        # every thread has arrived; give the three blocked ones the chance to misbehave
        state.wait(timeout=0.2)
        assert inside == 5
    release.set()
    for t in threads:
        t.join()
    assert most_inside == 5


def test_the_shared_limiter_is_one_per_project_and_host() -> None:
    a = shared_limiter("https://data.mixpanel.com", 1)
    assert shared_limiter("https://data.mixpanel.com", 1) is a
    assert shared_limiter("https://data.mixpanel.com", 2) is not a
    assert shared_limiter("http://127.0.0.1:9999", 1) is not a
