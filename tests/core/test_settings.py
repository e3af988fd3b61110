"""Settings that cannot surprise: defaults that follow the settings they depend on."""

from pathlib import Path

import pytest

from core import settings
from core.paths import PROJECT_ROOT


@pytest.fixture
def clean(monkeypatch):
    for name in ("ACTION_SERVER_URL", "ACTIONS_PORT", "ACTIONS_BIND_HOST", "STATE_DIR", "STATS_DB"):
        monkeypatch.delenv(name, raising=False)
    for name in ("STATE_DIRECTORY", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("environment", "url"),
    [
        ({}, "http://127.0.0.1:5055/webhook"),
        ({"ACTIONS_PORT": "6000"}, "http://127.0.0.1:6000/webhook"),
        ({"ACTIONS_BIND_HOST": "0.0.0.0", "ACTIONS_PORT": "6001"}, "http://127.0.0.1:6001/webhook"),
        ({"ACTIONS_BIND_HOST": "::"}, "http://127.0.0.1:5055/webhook"),
        ({"ACTIONS_BIND_HOST": "10.0.0.6"}, "http://10.0.0.6:5055/webhook"),
        ({"ACTIONS_BIND_HOST": "fd00::6"}, "http://[fd00::6]:5055/webhook"),
        ({"ACTIONS_BIND_HOST": "actions.internal"}, "http://actions.internal:5055/webhook"),
        (
            {"ACTION_SERVER_URL": "https://actions.example.org/webhook", "ACTIONS_PORT": "6000"},
            "https://actions.example.org/webhook",
        ),
    ],
)
def test_the_action_server_url_follows_its_port_and_address_unless_set(clean, environment, url):
    for name, value in environment.items():
        clean.setenv(name, value)
    assert settings.action_server_url() == url


def test_the_state_folder_is_outside_the_code_by_default(clean, tmp_path):
    clean.setenv("HOME", str(tmp_path))
    assert settings.state_dir() == tmp_path / ".local" / "state" / "maine-assistant"
    assert settings.stats_db_path() == tmp_path / ".local" / "state" / "maine-assistant" / "counts.db"
    assert PROJECT_ROOT not in settings.stats_db_path().parents


def test_under_systemd_the_state_folder_is_its_state_directory(clean):
    clean.setenv("STATE_DIRECTORY", "/var/lib/maine-assistant")
    assert settings.stats_db_path() == Path("/var/lib/maine-assistant/counts.db")


def test_xdg_state_home_is_respected(clean, tmp_path):
    clean.setenv("XDG_STATE_HOME", str(tmp_path))
    assert settings.state_dir() == tmp_path / "maine-assistant"


def test_relative_paths_are_documented_ones(clean, tmp_path):
    clean.setenv("STATE_DIR", "state")
    assert settings.state_dir() == PROJECT_ROOT / "state"  # a relative STATE_DIR: under the project folder
    clean.setenv("STATE_DIR", str(tmp_path))
    clean.setenv("STATS_DB", "sub/counts.db")
    assert settings.stats_db_path() == tmp_path / "sub" / "counts.db"  # a relative STATS_DB: under STATE_DIR
    clean.setenv("STATS_DB", str(tmp_path / "elsewhere.db"))
    assert settings.stats_db_path() == tmp_path / "elsewhere.db"


def test_the_statistics_counter_uses_the_state_folder(clean, tmp_path):
    from bot.stats.counts import stats_path

    clean.setenv("STATE_DIR", str(tmp_path))
    assert stats_path() == tmp_path / "counts.db"
