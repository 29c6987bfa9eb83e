"""A Redis cache that steps aside when Redis cannot be reached.

Redis is an optimisation here, never a dependency of a page: while it is down, each process
keeps its cache in its own memory (Django's LocMemCache), so what relies on the cache keeps its
meaning — allauth's rate limits still count (per process) and its cache lock can still be
taken; ignoring errors instead (django-redis' IGNORE_EXCEPTIONS) would make every `add()` fail
and lock everybody out of signing in. After a failure Redis is tried again every
`RETRY_AFTER` seconds, so a hung server costs one timeout per process per interval, not one
per call.

django-cache-fallback does the same in principle but configures the root logger on import,
logs a traceback on every call during an outage and lacks the bulk operations.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds
UNREACHABLE = (ConnectionInterrupted, RedisError, OSError)


class RedisOrMemoryCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = {**params.get("OPTIONS", {}), "IGNORE_EXCEPTIONS": False}
        self.redis = RedisCache(location, {**params, "OPTIONS": options})
        self.memory = LocMemCache(f"fallback:{location}", {**params, "OPTIONS": {}})
        self._retry_at = 0.0

    @property
    def redis_reachable(self) -> bool:
        return time.monotonic() >= self._retry_at

    def _call(self, method: str, *args, **kwargs):
        if self.redis_reachable:
            try:
                return getattr(self.redis, method)(*args, **kwargs)
            except UNREACHABLE:
                self._retry_at = time.monotonic() + RETRY_AFTER
                logger.warning(
                    "Redis unreachable: this process caches in its own memory for %s s",
                    RETRY_AFTER,
                    exc_info=True,
                )
        return getattr(self.memory, method)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta=delta, version=version)

    def clear(self):
        """This site's keys only (its KEY_PREFIX): others sharing the Redis keep theirs."""
        self.memory.clear()
        if self.redis_reachable:
            try:
                self.redis.delete_pattern("*")
            except UNREACHABLE:
                self._retry_at = time.monotonic() + RETRY_AFTER

    def close(self, **kwargs):
        self.redis.close(**kwargs)
