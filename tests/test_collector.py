"""The collector pause around work that builds many long-lived objects leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

from ktmsc import collector


def test_paused__off_inside_and_on_again_after():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused__on_again_after_an_error_and_off_if_it_was_off():
    with pytest.raises(ValueError), collector.paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_paused__as_a_decorator():
    @collector.paused()
    def inside() -> bool:
        return gc.isenabled()

    assert inside() is False and gc.isenabled()
