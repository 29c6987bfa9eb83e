"""The bench's report: every target with its value and threshold; a failed floor fails the run."""

from bench.run import (
    ANONYMOUS_POOLS,
    SCENARIOS,
    SIGNED_IN_POOLS,
    floor_failure,
    percentile,
    targets,
)


def row(rps=100.0, p95=10.0, errors=0, ratio=0.5):
    return {"requests": int(rps * 6), "errors": errors, "rps": rps, "p50_ms": p95 / 2,
            "p95_ms": p95, "ratio_to_floor": ratio}  # fmt: skip


def report(**rows):
    scenarios = {name: row() for name in SCENARIOS} | {"floor_again": row()} | rows
    return {
        "scenarios": scenarios,
        "contention": {"clients": 50, "booked": 1, "refused": 49, "other": []},
        "worker_peak_rss_mb": [120.0, 121.5],
    }


def test_every_target_has_its_value_and_threshold():
    found = targets(report())
    assert all(t["met"] for t in found.values()), found
    for name in ANONYMOUS_POOLS:
        assert found[f"{name} x floor"]["threshold"] == 0.35
        assert found[f"{name} p95 ms"]["threshold"] == 60
    for name in SIGNED_IN_POOLS:
        assert found[f"{name} x floor"]["threshold"] == 0.20
    assert found["projects_cold x floor"]["threshold"] == 0.10
    assert found["projects_cold p95 ms"]["threshold"] == 150
    assert found["publication_cold x floor"]["threshold"] == 0.15
    assert found["book_agent p95 ms"]["threshold"] == 150
    assert found["worker peak RSS MB"]["value"] == 121.5


def test_missed_targets_are_reported():
    found = targets(
        report(projects_cold=row(ratio=0.05, p95=400), home=row(errors=3), book_agent=row(p95=151))
        | {"contention": {"clients": 50, "booked": 2, "refused": 47, "other": ["status 500"]}}
    )
    assert not found["projects_cold x floor"]["met"]
    assert found["projects_cold p95 ms"] == {"value": 400, "comparison": "<=", "threshold": 150, "met": False}  # fmt: skip
    assert not found["book_agent p95 ms"]["met"]
    assert found["errors across scenarios"]["value"] == 3
    assert not found["errors across scenarios"]["met"]
    assert found["contention of 50"]["value"] == "2 booked, 47 refused, 1 other"
    assert not found["contention of 50"]["met"]
    assert found["home x floor"]["met"]  # errors count once, in their own target


def test_an_empty_or_failing_floor_fails_the_run():
    assert floor_failure(row(), row()) == ""
    assert "made no request" in floor_failure(row(), {**row(), "requests": 0, "rps": 0.0})
    assert "2 errors" in floor_failure(row(errors=2), row())


def test_percentile_from_locust_histogram():
    histogram = {"4": 50, "8": 45, "30": 5}
    assert percentile(histogram, 100, 0.50) == 4.0
    assert percentile(histogram, 100, 0.51) == 8.0
    assert percentile(histogram, 100, 0.95) == 8.0
    assert percentile(histogram, 100, 0.96) == 30.0
