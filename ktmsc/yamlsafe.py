"""YAML as the project reads it: safe loading only, with libyaml where it is installed
(the pure-Python loader is ten times slower). The content loader and the text catalogue
both read through this module."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)
