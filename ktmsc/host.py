"""A comparison round as its host and its municipalities see it: who has started and finished,
the round scored at once, each municipality among its peers, and the host's files.

- **Status** of an invited municipality: *invited* (its invitation not taken up), *started*
  (an assessment exists) or *finished* (every question it is shown is answered, "don't know"
  and "not our task" included – the review page's rule).
- **Scores** of the whole round come from :func:`ktmsc.batch.score_many` in one call, each
  municipality judged by its own population and kind of body (size-relative bands, "not our
  task"), its size type from the same two facts. Municipalities that have not started are
  not in it.
- **Figures** are :mod:`ktmsc.rounds.peers`'s: never a rank, never a name, no group smaller
  than ``rounds.min_group``. The host's figures file writes exactly those figures, hidden
  groups as empty cells; the list of who has not finished names municipalities and their
  status only, never a score.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import altair as alt

from ktmsc import collector
from ktmsc.batch import Batch, score_many
from ktmsc.charts import finish, quadrant_base, score_scale
from ktmsc.export import csv_safe, csv_writer
from ktmsc.labels import fmt_cell
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import THRESHOLD_FIXED, THRESHOLD_MEDIAN
from ktmsc.rounds.peers import ALL, GroupFigures, PeerView, overview, peer_view
from ktmsc.rounds.sample import NO_SIZE_TYPE
from ktmsc.rounds.thresholds import InForce, in_force
from ktmsc.storage.records import Round, RoundMember, StoredAssessment
from ktmsc.texts import Lang, t
from ktmsc.wizard import unanswered

INVITED, STARTED, FINISHED = "invited", "started", "finished"
STATUSES = (INVITED, STARTED, FINISHED)


@dataclass(frozen=True)
class MemberStatus:
    member: RoundMember
    status: str  # one of STATUSES


@dataclass(frozen=True)
class Scored:
    """The round's started assessments scored at once; row ``i`` is ``keys[i]``. Their types
    are split at the round's thresholds in force (:mod:`ktmsc.rounds.thresholds`), and
    ``questionnaire`` is the questionnaire with those thresholds, for whatever else shows a type."""

    batch: Batch
    keys: tuple[str, ...]  # official keys, in the batch's order
    size_types: tuple[str, ...]
    thresholds: InForce
    questionnaire: Questionnaire

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {key: row for row, key in enumerate(self.keys)}

    def row_of(self, key: str) -> int | None:
        return self._rows.get(key)


Pairs = list[tuple[RoundMember, StoredAssessment | None]]
Stamp = tuple[tuple[str, str | None, int | None], ...]  # per municipality: key, assessment, revision


def status_of(questionnaire: Questionnaire, stored: StoredAssessment | None) -> str:
    if stored is None:
        return INVITED
    return FINISHED if not unanswered(questionnaire, stored.assessment) else STARTED


def statuses(
    questionnaire: Questionnaire, pairs: Sequence[tuple[RoundMember, StoredAssessment | None]]
) -> list[MemberStatus]:
    return [MemberStatus(member, status_of(questionnaire, stored)) for member, stored in pairs]


def statuses_in(questionnaire: Questionnaire, round_: Round, scored: Scored, pairs: Pairs) -> dict[str, str]:
    """:func:`status_of` for each of ``pairs`` (by official key), read off the round's scores,
    which hold the state of every question: an assessment of the round's domains and perspective
    is finished when its row has no open question. One whose domains or perspective differ
    (changed after the invitation) is judged by itself."""
    open_rows = scored.batch.unanswered() if pairs else None
    out = {}
    for member, stored in pairs:
        row = scored.row_of(member.key)
        if stored is None:
            out[member.key] = INVITED
        elif (
            row is None
            or tuple(stored.assessment.domains) != scored.batch.layout.domains
            or stored.assessment.perspective != round_.perspective
        ):
            out[member.key] = status_of(questionnaire, stored)
        else:
            out[member.key] = STARTED if open_rows[row] else FINISHED
    return out


def counts(found: Sequence[MemberStatus]) -> dict[str, int]:
    """How many are invited only, started, finished (every status, zeros included)."""
    out = dict.fromkeys(STATUSES, 0)
    for entry in found:
        out[entry.status] += 1
    return out


def size_type_id(questionnaire: Questionnaire, population: int | None, body_kind: str | None) -> str:
    size_type = questionnaire.size_type_for(population, body_kind)
    return size_type.id if size_type else NO_SIZE_TYPE


def score_round(
    questionnaire: Questionnaire, round_: Round, pairs: Sequence[tuple[RoundMember, StoredAssessment | None]]
) -> Scored:
    """Every started assessment of the round, scored at once for the round's domains and perspective.

    A municipality is judged by its own profile as it answered it (population and kind of
    body), which the invitation filled in from the host's list."""
    started = [(m, s) for m, s in pairs if s is not None]
    profiles = [s.assessment.profile for _, s in started]
    batch = score_many(
        questionnaire,
        [s.assessment.answers for _, s in started],
        round_.domains,
        round_.perspective,
        places=[(p.population, p.body_kind) for p in profiles],
    )
    sizes = tuple(size_type_id(questionnaire, p.population, p.body_kind) for p in profiles)
    return split(questionnaire, round_, batch, tuple(m.key for m, _ in started), sizes)


def split(
    questionnaire: Questionnaire, round_: Round, batch: Batch, keys: tuple[str, ...], sizes: tuple[str, ...]
) -> Scored:
    """The round's scores with their types split at the thresholds in force: the fixed ones,
    or the round's median where the round chose it and enough municipalities are placed."""
    thresholds = in_force(questionnaire, batch, round_.thresholds)
    split_by = questionnaire.with_thresholds(thresholds.values)  # itself at the fixed thresholds
    typed = batch if split_by is questionnaire else batch.retyped(split_by)
    return Scored(batch=typed, keys=keys, size_types=sizes, thresholds=thresholds, questionnaire=split_by)


class RoundState:
    """A round's statuses and scores, kept up to date from a light stamp (``Store.round_stamp``).

    A refresh with an unchanged stamp costs nothing; otherwise only the municipalities whose
    assessment or its revision changed are read again (``read(keys)``) and rescored, and the
    rest of the round keeps its rows (:meth:`ktmsc.batch.Batch.rows`), so one municipality
    answering does not rescore ten thousand. When more than half changed, or on the first
    refresh, everything is read and scored at once. The result equals :func:`score_round` of
    the whole round (``tests/test_host.py``). Safe to share between sessions (one lock)."""

    def __init__(self, questionnaire: Questionnaire, round_: Round) -> None:
        self.questionnaire = questionnaire
        self.round = round_
        self.stamp: Stamp | None = None
        self._pairs: dict[str, tuple[RoundMember, StoredAssessment | None]] = {}
        self._status: dict[str, str] = {}
        self._statuses: list[MemberStatus] = []  # in key order; unchanged municipalities keep theirs
        self._stamped: dict[str, tuple[str | None, int | None]] = {}  # the stamp by key
        self._scored: Scored | None = None
        self._derived: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def derived(self, name: Any, compute: Callable[[Scored], Any]) -> Any:
        """What follows from the scores alone (figures, the questions that differ most),
        computed once per state of the round and shared by every page that shows it."""
        with self._lock:
            scored = self._scored
            assert scored is not None, "refresh first"
            if name not in self._derived:
                self._derived[name] = compute(scored)
            return self._derived[name]

    def refresh(self, stamp: Stamp, read: Callable[[Sequence[str] | None], Pairs]) -> tuple[list[MemberStatus], Scored]:
        """The statuses (a new list, of the same objects where nothing changed) and the scores."""
        with self._lock:
            if stamp != self.stamp or self._scored is None:
                with collector.paused():  # tens of thousands of objects that live on (ktmsc.collector)
                    self._update(stamp, read)
            assert self._scored is not None
            return list(self._statuses), self._scored

    def _update(self, stamp: Stamp, read: Callable[[Sequence[str] | None], Pairs]) -> None:
        q = self.questionnaire
        before = self._stamped
        now = {key: (assessment, revision) for key, assessment, revision in stamp}
        changed = [key for key, state in now.items() if before.get(key) != state]
        whole = self._scored is None or len(changed) * 2 > len(now)
        fresh = read(None) if whole else (read(changed) if changed else [])
        if whole:
            self._pairs = {}
        for member, stored in fresh:
            self._pairs[member.key] = (member, stored)
        self._pairs = {key: self._pairs[key] for key in sorted(self._pairs) if key in now}
        if whole:
            self._scored = score_round(q, self.round, list(self._pairs.values()))
        else:
            self._scored = self._rescored(set(changed))
        self._status.update(statuses_in(q, self.round, self._scored, fresh))
        kept = {} if whole else {e.member.key: e for e in self._statuses}
        self._statuses = [
            entry
            if (entry := kept.get(key)) is not None and entry.member is member and entry.status == self._status[key]
            else MemberStatus(member, self._status[key])
            for key, (member, _) in self._pairs.items()
        ]
        self._derived = {}
        self.stamp, self._stamped = stamp, now

    def _rescored(self, changed: set[str]) -> Scored:
        old = self._scored
        assert old is not None
        started = [(key, m, s) for key, (m, s) in self._pairs.items() if s is not None]
        again = [(m, s) for key, m, s in started if key in changed or old.row_of(key) is None]
        new = score_round(self.questionnaire, self.round, again)
        order = [
            (new.batch, new.row_of(key)) if key in changed or old.row_of(key) is None else (old.batch, old.row_of(key))
            for key, _, _ in started
        ]
        sizes = {**dict(zip(old.keys, old.size_types, strict=True)), **dict(zip(new.keys, new.size_types, strict=True))}
        # The rows keep their scores; their types follow the thresholds of the round as it is now.
        return split(
            self.questionnaire,
            self.round,
            old.batch.rows(order),
            tuple(key for key, _, _ in started),
            tuple(sizes[key] for key, _, _ in started),
        )


def peers_of(questionnaire: Questionnaire, scored: Scored, key: str) -> dict[str, PeerView | None]:
    """Per domain of the round, where municipality ``key`` stands among its peers (None where
    it has no position yet or too few peers have one)."""
    row = scored.row_of(key)
    domains = scored.batch.layout.domains
    if row is None:
        return dict.fromkeys(domains)
    return {d: peer_view(questionnaire, scored.batch, scored.size_types, row, d) for d in domains}


PEERS_CHART_SIZE = 320


def peers_spec(questionnaire: Questionnaire, view: PeerView, own: tuple[float, float], lang: Lang) -> dict:
    """The quadrant with the peers' points, pale and all alike (no order, no label), their median
    as a cross and the municipality's own point on top."""
    x_scale, y_scale = score_scale(), score_scale()
    others = alt.Data(values=[{"x": x, "y": y} for x, y in view.points])
    x_dim, y_dim = questionnaire.dimension_ids
    median = alt.Data(values=[{"x": view.spread[x_dim].median, "y": view.spread[y_dim].median}])
    mine = alt.Data(values=[{"x": own[0], "y": own[1], "label": t("rounds.peers.you", lang)}])
    layers = [
        *quadrant_base(questionnaire, lang, label_size=11),
        alt.Chart(others, description="peers")
        .mark_circle(size=40, opacity=0.35, color="#4a5560")
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale)),
        alt.Chart(median, description="peers' median")
        .mark_point(shape="cross", size=160, filled=True, color="#1f2a33")
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale)),
        alt.Chart(mine, description="own point")
        .mark_point(shape="diamond", size=220, filled=True, color="#c0392b")
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), tooltip=["label:N"]),
    ]
    title = t("rounds.peers.chart", lang, peers=view.count)
    return finish(layers, title, PEERS_CHART_SIZE, PEERS_CHART_SIZE).to_dict()


def own_point(scored: Scored, key: str, domain: str) -> tuple[float, float] | None:
    row = scored.row_of(key)
    if row is None:
        return None
    x, y = scored.batch.score[row, scored.batch.layout.domains.index(domain)].tolist()
    return None if x != x or y != y else (x, y)


def figures(questionnaire: Questionnaire, scored: Scored) -> dict[str, list[GroupFigures]]:
    return overview(questionnaire, scored.batch, scored.size_types)


def group_name(questionnaire: Questionnaire, group: str, lang: Lang) -> str:
    if group == ALL:
        return t("rounds.group.all", lang)
    if group == NO_SIZE_TYPE:
        return t("rounds.group.unknown", lang)
    return next((s.name.get(lang) for s in questionnaire.size_types if s.id == group), group)


@dataclass(frozen=True)
class Development:
    """One group's median in one domain, in the previous round and now (None where hidden)."""

    domain: str
    group: str
    before: dict[str, float] | None
    now: dict[str, float] | None


def development(now: dict[str, list[GroupFigures]], before: dict[str, list[GroupFigures]]) -> list[Development]:
    """The medians of the groups both rounds show, domain by domain (the previous round's
    domains that this round does not have are left out)."""
    out = []
    for domain, groups in now.items():
        earlier = {g.group: g for g in before.get(domain, [])}
        for group in groups:
            previous = earlier.get(group.group)
            if previous is None:
                continue
            out.append(
                Development(
                    domain=domain,
                    group=group.group,
                    before=None if previous.hidden else {d: s.median for d, s in previous.spread.items()},
                    now=None if group.hidden else {d: s.median for d, s in group.spread.items()},
                )
            )
    return out


# --- the host's files ----------------------------------------------------------------------


def invitations_csv(
    members: Sequence[RoundMember], invitations: dict[str, str], link: Callable[[str], str], lang: Lang
) -> str:
    """One line per municipality with a new invitation: key, name and its personal link."""
    buffer, writer = csv_writer(lang)
    writer.writerow([t(f"rounds.csv.{c}", lang) for c in ("key", "name", "link")])
    for member in members:
        if member.key in invitations:
            writer.writerow([member.key, csv_safe(member.name), link(invitations[member.key])])
    return buffer.getvalue()


def missing_csv(found: Sequence[MemberStatus], lang: Lang) -> str:
    """The municipalities that have not finished: key, name and status, nothing of their answers."""
    buffer, writer = csv_writer(lang)
    writer.writerow([t(f"rounds.csv.{c}", lang) for c in ("key", "name", "status")])
    for entry in found:
        if entry.status != FINISHED:
            writer.writerow([entry.member.key, csv_safe(entry.member.name), t(f"rounds.status.{entry.status}", lang)])
    return buffer.getvalue()


def figures_csv(
    questionnaire: Questionnaire, shown: dict[str, list[GroupFigures]], thresholds: InForce, lang: Lang
) -> str:
    """The host's figures as shown: per domain and group the number, the types, median and middle
    half per dimension; a group the minimum hides has every figure empty. The last columns name,
    per dimension, the threshold the types are split at and where it comes from (fixed or the
    round's median), the same on every line."""
    dims = list(questionnaire.dimension_ids)
    types = list(questionnaire.types)
    buffer, writer = csv_writer(lang)
    header = [t("rounds.csv.domain", lang), t("rounds.csv.group", lang), t("rounds.csv.count", lang)]
    header += [questionnaire.types[ty].name.get(lang) for ty in types]
    for dim in dims:
        name = questionnaire.dimension(dim).name.get(lang)
        header += [t(f"rounds.csv.{k}", lang, dimension=name) for k in ("median", "q1", "q3")]
    for dim in dims:
        name = questionnaire.dimension(dim).name.get(lang)
        header += [t(f"rounds.csv.{k}", lang, dimension=name) for k in ("threshold", "threshold_basis")]
    split_at = []
    for dim in dims:
        basis = THRESHOLD_MEDIAN if thresholds.relative[dim] else THRESHOLD_FIXED
        split_at += [fmt_cell(thresholds.values[dim], lang, 1), t(f"rounds.csv.basis_{basis}", lang)]
    writer.writerow(header)
    for domain, groups in shown.items():
        for g in groups:
            row = [questionnaire.domain(domain).name.get(lang), group_name(questionnaire, g.group, lang)]
            if g.hidden:
                row += [""] * (1 + len(types) + 3 * len(dims))
            else:
                row += [str(g.count)] + [str(g.types[ty]) for ty in types]
                for dim in dims:
                    s = g.spread[dim]
                    row += [fmt_cell(v, lang, 1) for v in (s.median, s.q1, s.q3)]
            writer.writerow(row + split_at)
    return buffer.getvalue()
