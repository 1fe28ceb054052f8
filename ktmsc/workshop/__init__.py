"""Workshop mode: many participants answer the same questionnaire, the group is aggregated.

Pure core (no Streamlit, no storage): the facilitator's dashboard, the group charts
and the exports all read a :class:`GroupResult` made by :func:`aggregate`.

Decisions, so the dashboard can explain them:

* **Positions.** Every participant is scored once with :func:`ktmsc.scoring.score`
  (the same scoring as a single assessment: general section, chosen domains,
  perspective, population). A participant has a position in a domain when both
  dimension scores exist and at least ``model.scoring.placed_share`` of the domain's own
  questions asked have an answer ("not our task" counts, "don't know" does not): the cross-cutting
  answers alone would place everyone in every domain. The others are listed in
  ``without_position`` and shown as not yet placed.
* **Group point.** The median of the participants' x scores and, separately, of
  their y scores (participants with a position only). The **spread** per axis is
  the interquartile range, quartiles by linear interpolation between the sorted
  values (the common "type 7" definition, as numpy and spreadsheets compute it), plus
  min and max. The **group type** is the type of the median point (thresholds
  from the model, ``high`` from the threshold upwards). **Agreement**: the share of
  participants with a position whose own type is the group type; the group
  ``agrees`` when that share is at least ``model.scoring.agreement_share``. The
  median is **stable** when the IQR box lies in one quadrant (all four corners have
  the same type), **borderline** when it crosses a threshold – the group analogue of
  the single assessment's min–max interval.
* **Progress.** Answered items / asked items, where asked = the items in the
  participant's questionnaire that are visible to them (conditions applied) and
  "don't know" counts as answered (it is a deliberate answer).
* **Item distribution.** Per item of the general section and the chosen domains
  (perspective applied): for the participants the item was shown to (``asked``),
  counts per option in the item's order (multi: how many ticked each option; number:
  per band, ids ``"0"``, ``"1"`` … like the scoring's levers), ``dont_know`` and
  ``unanswered`` (stored answers this version cannot read count as unanswered).
  Participants to whom the item was hidden by a condition are reported in
  ``hidden`` and left out of every denominator.
* **Disagreement** (:func:`disagreement`): the population standard deviation of the
  item scores of the participants who gave an actual answer, divided by half the
  item's score range, times 100. 0 = all answers equally strong; 100 = half at
  the weakest, half at the strongest answer (the largest spread possible). None with
  fewer than 2 answers. "Don't know" is not part of it; its share is a separate
  signal (``dont_know_share``).
* **Agenda.** Items with a disagreement, ranked by it (descending), ties broken by
  more answers, then questionnaire order. Items everyone agrees on (0) stay at the
  end of the list, so the dashboard shows the top N. Each entry names the
  domain × dimension scores it can move and by how many points at most (its
  effective weight as a share of the dimension's total weight, × 100).
* **Participant numbers** are 1-based positions in the list as given (storage passes
  join order); a participant without a pseudonym is shown as "Teilnehmer:in 3".
  Nothing but those labels depends on the order of the list.

Performance: scoring one participant in all six domains takes a few milliseconds, and
the dashboard re-aggregates every few seconds while only some participants have
changed their answers. Slim scores (positions and the participant's row of the
participants × items matrix, not levers) are therefore memoised per questionnaire,
keyed by the participant's revision (the store's ``updated_at``) or else the exact
answers, and the domains, perspective and population, in a bounded LRU cache: an
unchanged participant is not scored again (:mod:`ktmsc.workshop.scores`). The item
statistics are counted down the columns of the stacked rows with numpy
(:mod:`ktmsc.workshop.matrix`, :mod:`ktmsc.workshop.aggregate`).

The modules, each importing only those listed before it:

* :mod:`~ktmsc.workshop.model` – the dataclasses (:class:`Participant` in,
  :class:`GroupResult` out) and the result's JSON form;
* :mod:`~ktmsc.workshop.stats` – :func:`quantile`, :func:`disagreement`, the spread;
* :mod:`~ktmsc.workshop.matrix` – the participants × items matrix (one row per participant);
* :mod:`~ktmsc.workshop.scores` – the memoised slim scores;
* :mod:`~ktmsc.workshop.texts` – the dashboard's texts (:func:`participant_label`,
  :func:`progress_text`, :func:`agreement_text`, :func:`impact_text`, and what a participant's
  device shows of the revealed group, :func:`participant_lines`);
* :mod:`~ktmsc.workshop.projector` – what the projector view shows: :func:`quadrant_counts`,
  the agenda one question at a time (:func:`agenda_page`);
* :mod:`~ktmsc.workshop.aggregate` – :func:`aggregate`;
* :mod:`~ktmsc.workshop.group` – :func:`group_assessment`, the group as one assessment;
* :mod:`~ktmsc.workshop.charts` – :func:`group_chart`, :func:`group_overview_chart`,
  :func:`projector_chart`;
* :mod:`~ktmsc.workshop.exports` – :func:`participants_csv`, :func:`positions_csv`,
  :func:`group_json`;
* :mod:`~ktmsc.workshop.imports` – :func:`read_group_file` (the JSON file read back, both
  rounds), :func:`is_group_file`.
"""

from __future__ import annotations

from ktmsc.export import csv_safe  # re-exported: the exports neutralise cells with it
from ktmsc.workshop.aggregate import aggregate
from ktmsc.workshop.charts import group_chart, group_overview_chart, projector_chart
from ktmsc.workshop.exports import PARTICIPANTS_CSV_COLUMNS, group_json, participants_csv, positions_csv
from ktmsc.workshop.group import group_assessment
from ktmsc.workshop.imports import is_group_file, read_group_file
from ktmsc.workshop.model import (
    FORMAT,
    AgendaEntry,
    GroupDomain,
    GroupResult,
    Impact,
    ItemStats,
    OptionCount,
    Participant,
    ParticipantPoint,
    ParticipantStatus,
    Progress,
    Spread,
)
from ktmsc.workshop.projector import AGENDA_LENGTH, AgendaPage, agenda_page, quadrant_counts
from ktmsc.workshop.stats import disagreement, quantile
from ktmsc.workshop.texts import agreement_text, impact_text, participant_label, participant_lines, progress_text

__all__ = [
    "AGENDA_LENGTH",
    "FORMAT",
    "PARTICIPANTS_CSV_COLUMNS",
    "AgendaEntry",
    "AgendaPage",
    "GroupDomain",
    "GroupResult",
    "Impact",
    "ItemStats",
    "OptionCount",
    "Participant",
    "ParticipantPoint",
    "ParticipantStatus",
    "Progress",
    "Spread",
    "agenda_page",
    "aggregate",
    "agreement_text",
    "csv_safe",
    "disagreement",
    "group_assessment",
    "group_chart",
    "group_json",
    "group_overview_chart",
    "impact_text",
    "is_group_file",
    "participant_label",
    "participant_lines",
    "participants_csv",
    "positions_csv",
    "progress_text",
    "projector_chart",
    "quadrant_counts",
    "quantile",
    "read_group_file",
]
