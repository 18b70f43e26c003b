"""A Redis cache that the site survives losing: Django's RedisCache, failing soft.

Everything the site keeps in its cache can be rebuilt (whole pages, login
throttling counters), so when Redis stops answering the site carries on without
it: reads miss, writes are dropped, and a warning is logged. After a failure
Redis is left alone for RETRY_SECONDS, so a dead server costs one refused
connection per process every few seconds rather than one per cache call; then
it is tried again, and used as soon as it is back.

DJANGO_CACHE_LOCATION=redis://host:6379/0 selects it (settings.py).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("pagecache.redis")

RETRY_SECONDS = 5.0


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _soft(self, default, method, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return method(*args, **kwargs)
        except (RedisError, OSError) as error:
            self._down_until = time.monotonic() + RETRY_SECONDS
            logger.warning(
                "Cache unavailable (%s: %s); serving without it for %.0f s.",
                type(error).__name__,
                error,
                RETRY_SECONDS,
            )
            return default

    def get(self, key, default=None, version=None):
        return self._soft(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._soft({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._soft(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        # Callers expect ValueError for a missing key; without Redis every key is missing.
        result = self._soft(None, super().incr, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._soft(None, super().delete_many, keys, version)

    def clear(self):
        return self._soft(False, super().clear)
