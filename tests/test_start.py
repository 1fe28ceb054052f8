"""What the app server does before it serves anyone (serve.py): the warm-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import gc
from ktmsc.instrument import _load_cached
from ktmsc.texts import catalogue
from ktmsc.ui.server import warm_up

warm_up()
print(_load_cached.cache_info().currsize, catalogue.cache_info().currsize, gc.get_freeze_count())
"""


def test_warm_up__loads_content_and_texts_and_freezes_what_lives_as_long_as_the_process():
    run = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    questionnaires, catalogues, frozen = map(int, run.stdout.split())
    assert questionnaires == 1 and catalogues == 1
    assert frozen > 10_000, "the loaded modules and content were not frozen"
