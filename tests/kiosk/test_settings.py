import json
from dataclasses import replace

import pytest

from kiosk import settings
from kiosk.settings import SCHEMA_VERSION, Settings, SettingsError


def _write(data_dir, **values):
    (data_dir / "settings.json").write_text(
        json.dumps({"schema_version": SCHEMA_VERSION, **values}), encoding="utf-8"
    )


def test_without_a_file_the_defaults_apply_in_vietnamese(tmp_path):
    conf = settings.load(tmp_path)
    assert conf == Settings()
    assert conf.language == "vi"


def test_saved_settings_load_back_unchanged(tmp_path):
    chosen = replace(Settings(), language="en", checkpoint_id="chốt-Phú-Bài", scan_hold_seconds=2.5)
    settings.save(tmp_path / "new", chosen)
    assert settings.load(tmp_path / "new") == chosen
    assert "chốt-Phú-Bài" in (tmp_path / "new" / "settings.json").read_text(encoding="utf-8")


def test_a_whole_number_is_accepted_where_seconds_are_expected(tmp_path):
    _write(tmp_path, scan_hold_seconds=5)
    assert settings.load(tmp_path).scan_hold_seconds == 5.0


def test_an_unknown_key_is_named_with_a_suggestion(tmp_path):
    _write(tmp_path, langauge="en")
    with pytest.raises(SettingsError, match=r"'langauge'.*did you mean 'language'"):
        settings.load(tmp_path)


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"language": "fr"}, "language"),
        ({"camera_width": 20}, "camera_width"),
        ({"scan_hold_seconds": 0.1}, "scan_hold_seconds"),
        ({"serial_baud": 1234}, "serial_baud"),
        ({"checkpoint_id": ""}, "checkpoint_id"),
        ({"camera": 0}, "camera"),  # a number where a text is expected
        ({"market_id": True}, "market_id"),
    ],
)
def test_a_bad_value_is_refused_naming_the_setting(tmp_path, values, named):
    _write(tmp_path, **values)
    with pytest.raises(SettingsError, match=named):
        settings.load(tmp_path)


def test_a_file_of_another_schema_version_is_refused(tmp_path):
    (tmp_path / "settings.json").write_text('{"schema_version": 99}', encoding="utf-8")
    with pytest.raises(SettingsError, match="schema_version"):
        settings.load(tmp_path)


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
def test_an_unreadable_file_is_refused_not_ignored(tmp_path, content):
    (tmp_path / "settings.json").write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=r"settings\.json"):
        settings.load(tmp_path)
