"""Django's Redis cache against a real redis-server, and the site without it."""

import logging

import pytest
from django.core.cache import caches

from pagecache import backends
from tests.servers import redis_server

pytestmark = pytest.mark.slow


@pytest.fixture
def redis_cache(settings, tmp_path):
    with redis_server(tmp_path) as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "pagecache.backends.RedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            },
        }
        yield server, caches["default"]


def test_values_round_trip_through_redis(redis_cache):
    server, cache = redis_cache
    cache.set("greeting", {"text": "hello"}, 60)
    assert cache.get("greeting") == {"text": "hello"}
    assert cache.get_many(["greeting", "missing"]) == {"greeting": {"text": "hello"}}

    import redis

    assert redis.Redis.from_url(server.url).dbsize() == 1


def test_a_stopped_redis_is_a_logged_miss_and_comes_back(redis_cache, caplog, monkeypatch):
    server, cache = redis_cache
    cache.set("greeting", "hello", 60)
    server.stop()

    with caplog.at_level(logging.WARNING, logger="pagecache.redis"):
        assert cache.get("greeting", "fallback") == "fallback"
        cache.set("greeting", "again", 60)  # dropped, no error
        assert cache.add("other", 1) is False
        with pytest.raises(ValueError):
            cache.incr("counter")
    assert "Cache unavailable (ConnectionError" in caplog.text
    # One warning, then Redis is left alone for a while.
    assert caplog.text.count("Cache unavailable") == 1

    monkeypatch.setattr(backends, "RETRY_SECONDS", 0)
    cache._down_until = 0
    server.start()
    cache.set("greeting", "back", 60)
    assert cache.get("greeting") == "back"


def test_public_pages_are_served_while_redis_is_down(client, seeded, redis_cache, settings, caplog):
    server, _ = redis_cache
    assert client.get("/").status_code == 200
    import redis

    assert redis.Redis.from_url(server.url).dbsize() > 0  # the page went to Redis
    server.stop()

    with caplog.at_level(logging.WARNING, logger="pagecache.redis"):
        response = client.get("/research/")
    assert response.status_code == 200
    assert "The Reversal Curse" in response.content.decode()
    assert "Cache unavailable" in caplog.text
