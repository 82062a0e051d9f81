import pytest

from .services import REDIS_SERVER, PrivateRedis, SilentListener

needs_redis_server = pytest.mark.skipif(
    REDIS_SERVER is None, reason="needs the redis-server binary (apt-get install redis-server) to start a private one")


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path).start()
    yield server
    server.kill()


@pytest.fixture
def silent_listener():
    listener = SilentListener()
    yield listener
    listener.close()
