"""Where a comparison round splits its types: the model's fixed thresholds or the round's median.

A round sets, per dimension, its **basis** (:data:`ktmsc.model.schema.THRESHOLD_BASES`): the
host's choice when creating it, else the model's ``rounds.thresholds``.

- ``fixed``: the model's ``scoring.thresholds`` (50), the same as for every single check. The
  type then says where a municipality stands against the instrument's scale.
- ``median``: the round's median on the dimension, over the domain points of every
  municipality placed in one of the round's domains (a position, so a type: each of its placed
  domains counts once), rounded to one decimal – the value shown is the value in force. The
  type then says where it stands *in this round*: "high" is the upper half of the round.
  The median needs at least ``rounds.min_group`` placed municipalities – a median of fewer
  would describe them (the round's anonymity rule); until then the fixed threshold is in force
  and every read-out says so.

Scores and intervals never depend on the thresholds; only the quadrant each falls in, so a
round's batch is retyped (:meth:`ktmsc.batch.Batch.retyped`) and its municipalities' results,
report and files read the same questionnaire with these thresholds
(:meth:`ktmsc.model.questionnaire.Questionnaire.with_thresholds`). The median moves as the
round fills; the read-out names the count it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ktmsc.batch import Batch
from ktmsc.labels import counted, fmt_plain
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import THRESHOLD_FIXED, THRESHOLD_MEDIAN
from ktmsc.rounds.peers import placed_rows
from ktmsc.texts import Lang, t


@dataclass(frozen=True)
class InForce:
    """The thresholds a round's types are split at, and where each comes from."""

    basis: dict[str, str]  # per dimension: the round's choice, THRESHOLD_FIXED or THRESHOLD_MEDIAN
    values: dict[str, float]  # per dimension: the threshold in force
    relative: dict[str, bool]  # per dimension: the value is the round's median (chosen, and enough placed)
    count: int  # the placed municipalities the medians come from

    @property
    def any_median(self) -> bool:
        """Whether the round chose its median on any dimension (in force yet or not)."""
        return any(b == THRESHOLD_MEDIAN for b in self.basis.values())


def bases(questionnaire: Questionnaire, chosen: dict[str, str] | None) -> dict[str, str]:
    """The round's basis per dimension: its own choice where it made one, else the model's."""
    default = questionnaire.model.rounds.thresholds
    return {d: (chosen or {}).get(d, default[d]) for d in questionnaire.dimension_ids}


def fixed(questionnaire: Questionnaire, chosen: dict[str, str] | None = None) -> InForce:
    """The fixed thresholds in force (a round nobody is placed in yet)."""
    basis = bases(questionnaire, chosen)
    values = {d: questionnaire.threshold(d) for d in questionnaire.dimension_ids}
    return InForce(basis, values, dict.fromkeys(values, False), 0)


def in_force(questionnaire: Questionnaire, batch: Batch, chosen: dict[str, str] | None) -> InForce:
    """The thresholds of a round scored as ``batch`` (with ``questionnaire``'s fixed thresholds)."""
    start = fixed(questionnaire, chosen)
    if not start.any_median or not len(batch):
        return start
    basis = start.basis
    placed = np.stack([placed_rows(batch, d) for d in range(len(batch.layout.domains))], axis=1)  # (n, domains)
    count = int(placed.any(axis=1).sum())
    enough = count >= questionnaire.model.rounds.min_group
    values: dict[str, float] = {}
    relative: dict[str, bool] = {}
    for k, dim in enumerate(batch.layout.dimensions):
        relative[dim] = enough and basis[dim] == THRESHOLD_MEDIAN
        if relative[dim]:
            values[dim] = round(float(np.median(batch.score[:, :, k][placed])), 1)
        else:
            values[dim] = questionnaire.threshold(dim)
    return InForce(basis, values, relative, count)


def thresholds_line(questionnaire: Questionnaire, thresholds: InForce, lang: Lang) -> str:
    """One sentence per round: where each dimension is split, and for the median where it comes from."""
    parts = []
    for dim in questionnaire.dimension_ids:
        name = questionnaire.dimension(dim).name.get(lang)
        value = fmt_plain(thresholds.values[dim], lang)
        if thresholds.relative[dim]:
            count = counted("core.rounds.thresholds.count", thresholds.count, lang)
            parts.append(t("core.rounds.thresholds.median", lang, dimension=name, value=value, count=count))
        elif thresholds.basis[dim] == THRESHOLD_MEDIAN:
            minimum = questionnaire.model.rounds.min_group
            parts.append(t("core.rounds.thresholds.median_pending", lang, dimension=name, value=value, minimum=minimum))
        else:
            assert thresholds.basis[dim] == THRESHOLD_FIXED
            parts.append(t("core.rounds.thresholds.fixed", lang, dimension=name, value=value))
    return t("core.rounds.thresholds.line", lang, parts="; ".join(parts))
