"""The kept parses of content and text files (ktmsc/yamlsafe.py): what an author and the app
see is the same with and without them, and a cache that cannot be used is read past."""

from __future__ import annotations

import datetime
import json
import math

import pytest

import content_factory as cf
from ktmsc import texts, yamlsafe
from ktmsc.instrument import load_content


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "parsed"
    monkeypatch.setenv(yamlsafe.CACHE_ENV, str(directory))
    return directory


def _problems(result):
    return [(p.code, p.file, p.path, p.line, p.format()) for p in result.problems]


def _break_twice(base):
    """A duplicate key (found while parsing) and a wrong value (found by validation), each on its own line."""
    path = base / "sections" / "wirtschaft.yaml"
    text = path.read_text(encoding="utf-8").replace("section: wirtschaft", "section: wirtschaft\nsection: wirtschaft")
    path.write_text(text.replace("    score: 0.5\n", "    score: high\n", 1), encoding="utf-8")


def test_kept_parse__same_questionnaire_and_same_problems_with_their_lines(tmp_path, cache, monkeypatch):
    base = cf.build(tmp_path / "content")
    _break_twice(base)
    first = load_content(base)  # parses and keeps
    assert list(cache.glob("content-*.json")), "nothing was kept"
    again = load_content(base)  # from the kept parses
    monkeypatch.setenv(yamlsafe.CACHE_ENV, yamlsafe.CACHE_OFF)
    fresh = load_content(base)
    assert _problems(again) == _problems(first) == _problems(fresh)
    assert {"F006"} <= {p.code for p in fresh.problems} and all(p.line for p in fresh.problems if p.code == "F006")
    assert any(p.line for p in fresh.problems if p.code != "F006"), "validation problems lost their lines"


def test_kept_parse__the_shipped_content_loads_the_same(cache, monkeypatch):
    kept = load_content()
    again = load_content()
    monkeypatch.setenv(yamlsafe.CACHE_ENV, yamlsafe.CACHE_OFF)
    fresh = load_content()
    assert again.ok and fresh.ok
    assert again.questionnaire.items == fresh.questionnaire.items == kept.questionnaire.items
    assert again.questionnaire.model == fresh.questionnaire.model


def test_edited_file__is_read_anew(tmp_path, cache):
    base = cf.build(tmp_path / "content")
    assert load_content(base).ok
    path = base / "sections" / "wirtschaft.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nstray_key: 1\n", encoding="utf-8")
    assert not load_content(base).ok


def _plain(text):
    return {"data": yamlsafe.load(text)}


def test_what_json_cannot_give_back__is_not_kept_and_still_read(cache):
    assert yamlsafe.cached("texts", "when: 2026-12-04\n", _plain)["data"] == {"when": datetime.date(2026, 12, 4)}
    assert yamlsafe.cached("texts", "1: one\n", _plain)["data"] == {1: "one"}
    assert math.isnan(yamlsafe.cached("texts", "x: .nan\n", _plain)["data"]["x"])
    assert yamlsafe.cached("texts", "s: !!set {a: null}\n", _plain)["data"] == {"s": {"a"}}
    assert not list(cache.glob("*.json")) and not list(cache.glob("*.tmp"))
    kept = yamlsafe.cached("texts", "a: [1, 2.5, true, null, 'x']\n", _plain)
    assert kept == {"data": {"a": [1, 2.5, True, None, "x"]}} and len(list(cache.glob("*.json"))) == 1


def test_unusable_cache__read_past(tmp_path, cache, monkeypatch):
    base = cf.build(tmp_path / "content")
    assert load_content(base).ok
    entries = sorted(cache.glob("*.json"))
    for n, entry in enumerate(entries):  # cut short, as by a full disk, or not what a reader keeps
        entry.write_text(entry.read_text(encoding="utf-8")[:50] if n % 2 else "[]", encoding="utf-8")
    assert load_content(base).ok
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")  # a directory that cannot be created
    monkeypatch.setenv(yamlsafe.CACHE_ENV, str(blocked / "parsed"))
    assert load_content(base).ok
    assert not list(tmp_path.glob("**/*.tmp"))


def test_many_entries__the_oldest_go(cache, monkeypatch):
    monkeypatch.setattr(yamlsafe, "MAX_ENTRIES", 6)
    for n in range(10):
        yamlsafe.cached("texts", f"n: {n}\n", _plain)
    assert 3 <= len(list(cache.glob("*.json"))) <= 6


def test_texts__same_catalogue_from_kept_parses(cache, monkeypatch):
    texts.catalogue.cache_clear()
    try:
        kept = texts.catalogue()
        assert list(cache.glob("texts-*.json"))
        texts.catalogue.cache_clear()
        again = texts.catalogue()
        monkeypatch.setenv(yamlsafe.CACHE_ENV, yamlsafe.CACHE_OFF)
        texts.catalogue.cache_clear()
        assert again == kept == texts.catalogue()
        assert json.loads(next(cache.glob("texts-*.json")).read_text(encoding="utf-8"))["data"]
    finally:
        texts.catalogue.cache_clear()


def test_default_cache__in_the_project():
    from ktmsc import PROJECT_ROOT

    assert yamlsafe.DEFAULT_CACHE_DIR == PROJECT_ROOT / ".cache" / "parsed"
