"""lab/lib/cache.py: Redis when it answers, this process's memory while it does not."""

from __future__ import annotations

import socket

import pytest

from lab.lib import cache as fallback
from lab.lib.cache import RedisOrMemoryCache


def _closed_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{s.getsockname()[1]}/0"


def _cache(url: str) -> RedisOrMemoryCache:
    return RedisOrMemoryCache(
        url, {"KEY_PREFIX": "test-fallback", "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5}}
    )


def test_without_redis_the_cache_keeps_its_meaning_in_memory():
    cache = _cache(_closed_url())
    assert cache.get("k") is None
    assert not cache.redis_reachable
    assert cache.add("lock", True, 10) is True
    assert cache.add("lock", True, 10) is False  # allauth's lock still excludes
    cache.set_many({"a": 1, "b": 2})
    assert cache.get_many(["a", "b"]) == {"a": 1, "b": 2}
    assert cache.incr("a") == 2
    cache.delete("a")
    assert not cache.has_key("a")
    cache.clear()
    assert cache.get("b") is None


def test_redis_is_tried_again_after_a_while(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(fallback.time, "monotonic", lambda: clock[0])
    cache = _cache(_closed_url())
    cache.get("k")
    assert not cache.redis_reachable
    clock[0] += fallback.RETRY_AFTER - 1
    assert not cache.redis_reachable
    clock[0] += 1
    assert cache.redis_reachable


@pytest.mark.redis
def test_with_redis_up_values_live_in_redis(redis_url):
    first, second = _cache(redis_url), _cache(redis_url)
    first.set("shared", "oui", 30)
    assert second.get("shared") == "oui"  # another process would see it
    assert first.redis_reachable
    first.clear()
    assert second.get("shared") is None
