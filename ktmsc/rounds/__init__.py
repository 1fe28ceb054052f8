"""Comparison rounds: many municipalities assessed side by side, never ranked (docs/ROUNDS.md).

- :mod:`ktmsc.rounds.roster` reads the host's list of municipalities (CSV), all or nothing.
- :mod:`ktmsc.rounds.sample` draws a stratified random sample by size type, reproducibly.
- :mod:`ktmsc.rounds.thresholds` splits a round's types at the fixed thresholds or its median.
- :mod:`ktmsc.rounds.peers` places a municipality among its peers and gives the host the
  round's figures, hiding every group smaller than ``rounds.min_group``.

Scores come from :mod:`ktmsc.batch`, which scores the whole round at once.
"""
