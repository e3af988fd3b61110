import pytest

from tests.conftest import PROJECT_ROOT
from tools.servers import Servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """The real servers, as `make run` starts them, shared by the end-to-end tests."""
    running = Servers(log_dir=tmp_path_factory.mktemp("server-logs"))
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture(scope="session")
def project_root():
    return PROJECT_ROOT
