"""The recent traffic /health reports: counts under 5 hidden, the 5xx share and the 95th percentile."""

from bot.runtime.traffic import MIN_SHOWN, Window, percentile


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_fewer_than_five_requests_show_as_under_five_and_nothing_more():
    window = Window(clock=Clock())
    for _ in range(MIN_SHOWN - 1):
        window.add(200, 0.01)
    assert window.summary() == {"window_minutes": 15, "requests": "<5", "server_error_share": None, "p95_ms": None}


def test_share_of_server_errors_and_p95():
    window = Window(clock=Clock())
    for milliseconds in range(1, 21):  # 1 ms ... 20 ms
        window.add(200, milliseconds / 1000)
    window.add(502, 0.5)
    window.add(503, 0.5)
    window.add(404, 0.001)  # a client error is not a server error
    window.add(500, 0.5)
    summary = window.summary()
    assert summary["requests"] == 24
    assert summary["server_error_share"] == round(3 / 24, 4)
    assert summary["p95_ms"] == 500.0


def test_requests_older_than_the_window_are_forgotten():
    clock = Clock()
    window = Window(seconds=60, clock=clock)
    for _ in range(10):
        window.add(500, 1.0)
    clock.now += 61
    for _ in range(5):
        window.add(200, 0.002)
    summary = window.summary()
    assert summary["requests"] == 5
    assert summary["server_error_share"] == 0.0
    assert len(window.answered) == 5


def test_percentile_is_the_nearest_rank():
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.95) == 5.0
    assert percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0
