"""Build small, valid content trees for tests; each test then breaks one thing.

The shipped ``model.yaml`` is reused (it is part of what we test); sections and
recommendations are generated: a few items per section with clear main dimensions.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

from ktmsc.content.loader import DEFAULT_CONTENT_DIR


@functools.cache
def _shipped_model() -> dict[str, Any]:
    return yaml.load((DEFAULT_CONTENT_DIR / "model.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


# The model's ids, read from the shipped model.yaml: its one home.
DIMENSION_IDS = tuple(d["id"] for d in _shipped_model()["dimensions"])
DOMAIN_IDS = tuple(d["id"] for d in _shipped_model()["domains"])
TYPE_IDS = tuple(t["id"] for t in _shipped_model()["types"])


def text(word: str) -> dict[str, str]:
    return {"de": f"{word} (de)", "en": f"{word} (en)"}


def item(item_id: str, dim: str, *, public: bool = True, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item_id,
        "text": text(f"Question {item_id}"),
        "help": text(f"Help {item_id}"),
        "tags": ["structures"],
        "weights": {dim: 1},
        "rationale": text(f"Why {item_id} counts"),
        "public": public,
        "options": [
            {"id": "none", "label": text("none"), "score": 0},
            {"id": "some", "label": text("some"), "score": 0.5},
            {"id": "full", "label": text("full"), "score": 1},
        ],
    }
    if public:
        data["public_hint"] = text("Where to look")
    data.update(extra)
    return data


def section(section_id: str, per_dim: int = 4) -> dict[str, Any]:
    prefix = item_prefix(section_id)
    items = [item(f"{prefix}_{d[:2]}_{n}", d) for d in DIMENSION_IDS for n in range(per_dim)]
    return {"section": section_id, "intro": text(f"Intro {section_id}"), "items": items}


def bands() -> list[dict[str, Any]]:
    return [
        {"up_to": 0, "label": text("none"), "score": 0},
        {"up_to": 5, "label": text("some"), "score": 0.5},
        {"label": text("many"), "score": 1},
    ]


def number_item(item_id: str, dim: str, **extra: Any) -> dict[str, Any]:
    data = item(item_id, dim, public=False, type="number", bands=bands(), **extra)
    data.pop("options")
    return data


def item_prefix(section_id: str) -> str:
    return "g" if section_id == "general" else section_id[:3]


def recommendation(rec_id: str, trigger: str = "g_le_0") -> dict[str, Any]:
    """A recommendation called for when ``trigger`` is answered at most halfway."""
    return {
        "id": rec_id,
        "title": text(f"Title {rec_id}"),
        "text": text("Text"),
        "first_step": text("First step"),
        "triggers": [{"item": trigger, "max_score": 0.5}],
    }


def recommendations(section_id: str, count: int = 3) -> dict[str, Any]:
    if section_id == "general":
        return {
            "section": "general",
            "paths": {
                d: [recommendation(f"path_{d[:2]}_{n}", f"g_{d[:2]}_0") for n in range(count)] for d in DIMENSION_IDS
            },
        }
    return {
        "section": section_id,
        "by_type": {
            t: [
                recommendation(f"{section_id[:3]}_{t[:3]}_{n}", f"{item_prefix(section_id)}_le_{n}")
                for n in range(count)
            ]
            for t in TYPE_IDS
        },
    }


def model() -> dict[str, Any]:
    return copy.deepcopy(_shipped_model())


def content(general_items: int = 6) -> dict[str, dict[str, Any]]:
    """All files of a minimal valid content tree, as data keyed by relative path."""
    files: dict[str, dict[str, Any]] = {"model.yaml": model()}
    files["model.yaml"]["content_rules"] = {
        "min_general_items": 4,
        "min_domain_items": 6,
        "min_items_per_dimension": 3,
        "min_public_items_per_dimension": 2,
        "min_recommendations": 3,
        "min_paths": 3,
    }
    # The shipped model's strained-budget condition names an item of the shipped content.
    files["model.yaml"]["plan"]["strained_if"] = []
    files["sections/general.yaml"] = section("general", per_dim=general_items // 2)
    for domain in DOMAIN_IDS:
        files[f"sections/{domain}.yaml"] = section(domain)
    files["recommendations/general.yaml"] = recommendations("general")
    for domain in DOMAIN_IDS:
        files[f"recommendations/{domain}.yaml"] = recommendations(domain)
    return files


def write(root: Path, files: dict[str, Any]) -> Path:
    """Write files (data is dumped as YAML, strings are written as they are)."""
    base = root / "questionnaires"
    for rel, data in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            data
            if isinstance(data, str)
            else yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
    return base


def build(root: Path, change=None) -> Path:
    """A content tree under ``root``; ``change(files)`` may break it first (``content()``
    builds new data on every call, so the change touches nothing shared)."""
    files = content()
    if change is not None:
        change(files)
    return write(root, files)
