"""The parts of the comparison-round page: the host's form for a new round, the round's status
and figures, the host's files, and, on a participant's results, where it stands among its peers.

Every figure comes from :mod:`ktmsc.host` (and so from :mod:`ktmsc.rounds.peers`), which never
ranks, never names another municipality beside a score and hides every group smaller than
``rounds.min_group``; this module only lays them out.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from ktmsc import host
from ktmsc.export import file_name
from ktmsc.labels import TIMEZONE, counted, date_input_format, fmt_date, fmt_number, fmt_plain, fmt_score
from ktmsc.model.limits import MAX_LINK_INPUT, MAX_ROSTER_ROWS, MAX_TITLE
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire
from ktmsc.model.schema import THRESHOLD_BASES
from ktmsc.rounds.peers import differing_items, standing_text
from ktmsc.rounds.roster import Member, RosterError, read_roster
from ktmsc.rounds.sample import stratified_sample
from ktmsc.rounds.study import Estimate, estimates
from ktmsc.rounds.thresholds import thresholds_line
from ktmsc.storage import Round, RoundCreated
from ktmsc.texts import Lang, t
from ktmsc.ui import links, round_session, views
from ktmsc.ui.safe import md

CREATE = "round.create"  # key prefix of the creation form's fields
INVITATIONS = "round.invitations"  # new invitation tokens of this session: shown until the page is left
SAMPLE = "round.sample"  # the sample just drawn, per size type (drawn, of how many), shown with its invitations


def create_form(q: Questionnaire, lang: Lang) -> RoundCreated | None:
    """The host's form for a new round; the round once created, else None."""
    with st.container(border=True):
        st.subheader(t("rounds.create.title", lang))
        title = st.text_input(
            t("rounds.create.name", lang),
            max_chars=MAX_TITLE,
            placeholder=t("rounds.create.name_placeholder", lang),
            key=f"{CREATE}.title",
        )
        left, right = st.columns(2)
        today = datetime.now(TIMEZONE).date()
        opens_on = left.date_input(
            t("rounds.create.opens", lang), value=today, format=date_input_format(lang), key=f"{CREATE}.opens"
        )
        closes_on = right.date_input(
            t("rounds.create.closes", lang), value=None, format=date_input_format(lang), key=f"{CREATE}.closes"
        )
        perspective, domains = views.perspective_and_domains(q, lang, CREATE)
        upload = st.file_uploader(
            t("rounds.create.roster", lang),
            type=["csv", "txt"],
            help=t("rounds.create.roster_help", lang),
            key=f"{CREATE}.roster",
        )
        sampling = _sample_fields(lang)
        thresholds = _threshold_fields(q, lang)
        previous_link = st.text_input(
            t("rounds.create.previous", lang),
            max_chars=MAX_LINK_INPUT,
            help=t("rounds.create.previous_help", lang),
            key=f"{CREATE}.previous",
        )
        submitted = st.button(t("rounds.create.button", lang), type="primary", icon=":material/hub:")
    if not submitted:
        return None
    members = _members(q, upload.getvalue() if upload is not None else None, lang)
    previous = None
    if previous_link.strip():
        previous_key = links.token_from(previous_link, links.HOST_PARAM)
        previous = round_session.round_for_host(previous_key) if previous_key else None
        if previous is None:
            st.error(t("rounds.create.previous_unknown", lang), icon=":material/link_off:")
            return None
    if not title.strip():
        st.error(t("rounds.create.need_title", lang))
    elif not domains:
        st.error(t("ui.start.need_domain", lang))
    elif closes_on is not None and opens_on is not None and closes_on < opens_on:
        st.error(t("rounds.create.closes_before", lang))
    elif members is not None:
        sample = None
        if sampling is not None:
            size, minimum, seed = sampling
            sample = stratified_sample(q, members, size, seed=seed, minimum=minimum)
            members = list(sample.members)
        created = round_session.create_round(
            title=title.strip(),
            domains=domains,
            perspective=perspective or PERSPECTIVE_ADMIN,
            members=members,
            opens_on=opens_on,
            closes_on=closes_on,
            previous=previous,
            thresholds=thresholds,
        )
        if sample is not None:
            st.session_state[SAMPLE] = (created.round.id, sample.by_stratum)
        return created
    return None


def _sample_fields(lang: Lang) -> tuple[int, int, int] | None:
    """Size, minimum per size type and seed of a stratified sample, or None for the whole list."""
    if not st.checkbox(t("rounds.sample.draw", lang), help=t("rounds.sample.draw_help", lang), key=f"{CREATE}.sample"):
        return None
    left, middle, right = st.columns(3)
    size = left.number_input(t("rounds.sample.size", lang), 1, MAX_ROSTER_ROWS, 100, key=f"{CREATE}.size")
    minimum = middle.number_input(
        t("rounds.sample.minimum", lang),
        0,
        MAX_ROSTER_ROWS,
        0,
        help=t("rounds.sample.minimum_help", lang),
        key=f"{CREATE}.minimum",
    )
    seed = right.number_input(
        t("rounds.sample.seed", lang), 0, 2**31 - 1, 1, help=t("rounds.sample.seed_help", lang), key=f"{CREATE}.seed"
    )
    return int(size), int(minimum), int(seed)


def _threshold_fields(q: Questionnaire, lang: Lang) -> dict[str, str]:
    """Per dimension where the round splits its types: fixed, or the round's median."""
    st.markdown(f"**{t('rounds.create.thresholds', lang)}**")
    st.caption(t("rounds.create.thresholds_help", lang, minimum=q.model.rounds.min_group))
    chosen = {}
    for column, dim in zip(st.columns(len(q.dimension_ids)), q.dimension_ids, strict=True):
        chosen[dim] = column.radio(
            q.dimension(dim).name.get(lang),
            THRESHOLD_BASES,
            index=THRESHOLD_BASES.index(q.model.rounds.thresholds[dim]),
            format_func=lambda basis, dim=dim: t(
                f"rounds.create.basis_{basis}", lang, value=fmt_plain(q.threshold(dim), lang)
            ),
            key=f"{CREATE}.threshold.{dim}",
        )
    return chosen


def _members(q: Questionnaire, data: bytes | None, lang: Lang) -> list[Member] | None:
    """The uploaded list, or None after naming every problem (nothing is taken half)."""
    if data is None:
        st.error(t("rounds.create.need_roster", lang))
        return None
    try:
        return read_roster(data, q)
    except RosterError as error:
        lines = "\n".join(f"- {md(p.text(lang))}" for p in error.problems)
        st.error(f"{t('rounds.create.roster_refused', lang)}\n\n{lines}", icon=":material/rule:")
        return None


def period(round_: Round, lang: Lang) -> str:
    if round_.opens_on is None and round_.closes_on is None:
        return t("rounds.period.open", lang)
    return t("rounds.period.from_to", lang, start=fmt_date(round_.opens_on, lang), end=fmt_date(round_.closes_on, lang))


def keep_invitations(round_id: str, invitations: dict[str, str]) -> None:
    st.session_state[INVITATIONS] = (round_id, invitations)


def _fresh(round_: Round) -> dict[str, str]:
    kept = st.session_state.get(INVITATIONS)
    return kept[1] if kept and kept[0] == round_.id else {}


def has_fresh(round_: Round) -> bool:
    """Whether this session holds new invitation links of the round (they are shown only now)."""
    return bool(_fresh(round_))


def invitations(q: Questionnaire, round_: Round, lang: Lang) -> None:
    """The personal invitation links: as a file right after creating or renewing them (they are
    stored only as hashes), else a button that renews those of who has not started."""
    fresh = _fresh(round_)
    st.markdown(t("rounds.invite.intro", lang))
    kept_sample = st.session_state.get(SAMPLE)
    drawn = kept_sample[1] if fresh and kept_sample and kept_sample[0] == round_.id else None
    if drawn:
        st.markdown(t("rounds.sample.drawn", lang))
        st.markdown(
            "\n".join(
                f"- {md(host.group_name(q, size_type, lang))}: {t('rounds.sample.of', lang, drawn=n, total=total)}"
                for size_type, (n, total) in drawn.items()
            )
        )
    if fresh:
        st.success(counted("rounds.invite.fresh", len(fresh), lang), icon=":material/mail:")
        st.download_button(
            t("rounds.invite.download", lang),
            data=host.invitations_csv(
                round_session.members(round_.id), fresh, lambda token: links.invitation_link(lang, token), lang
            ),
            file_name=file_name("invitations", lang, round_.title, fallback="round"),
            mime="text/csv",
            icon=":material/download:",
        )
    if st.button(t("rounds.invite.renew", lang), icon=":material/autorenew:", help=t("rounds.invite.renew_help", lang)):
        keep_invitations(round_.id, round_session.renew_invitations(round_.id))
        st.rerun()


def status(q: Questionnaire, round_: Round, found: list[host.MemberStatus], lang: Lang) -> None:
    counts = host.counts(found)
    columns = st.columns(len(host.STATUSES))
    for column, code in zip(columns, host.STATUSES, strict=True):
        column.metric(t(f"rounds.status.{code}", lang), fmt_number(counts[code], lang))
    # The list can be as long as the round (10,800 rows): drawn only when asked for.
    if st.toggle(t("rounds.status.list", lang, count=len(found)), key="round.show_list"):
        st.dataframe(
            [
                {
                    t("rounds.csv.key", lang): e.member.key,
                    t("rounds.csv.name", lang): e.member.name,
                    t("rounds.status.size_type", lang): host.group_name(
                        q, host.size_type_id(q, e.member.population, e.member.body_kind), lang
                    ),
                    t("rounds.csv.status", lang): t(f"rounds.status.{e.status}", lang),
                }
                for e in found
            ],
            hide_index=True,
            width="stretch",
        )
    st.download_button(
        t("rounds.status.missing", lang),
        data=host.missing_csv(found, lang),
        file_name=file_name("missing", lang, round_.title, fallback="round"),
        mime="text/csv",
        icon=":material/download:",
        disabled=counts[host.FINISHED] == len(found),
    )


def figures(q: Questionnaire, round_: Round, lang: Lang) -> None:
    """Per domain and group: how many, in which type, median and middle half; the questions on
    which they differ most; the development since the previous round. Never a rank or a name."""
    minimum = q.model.rounds.min_group
    st.caption(t("rounds.figures.anonymity", lang, minimum=minimum))
    in_force = round_session.derived(round_, "thresholds", lambda s: s.thresholds)
    st.caption(md(thresholds_line(q, in_force, lang)))
    shown = round_session.derived(round_, "figures", lambda s: host.figures(q, s))
    before = _previous_figures(q, round_)
    tabs = st.tabs([q.domain(d).name.get(lang) for d in shown])
    for tab, (domain, groups) in zip(tabs, shown.items(), strict=True):
        with tab:
            st.dataframe(_figure_rows(q, groups, lang), hide_index=True, width="stretch")
            _differing(q, round_, domain, lang)
            if before is not None:
                _development(q, [c for c in host.development(shown, before) if c.domain == domain], lang)
    with st.expander(t("rounds.study.title", lang), icon=":material/science:"):
        st.markdown(t("rounds.study.explain", lang))
        found = round_session.derived(round_, "estimates", lambda s: estimates(q, s.batch, s.size_types))
        for domain, rows in found.items():
            st.markdown(f"**{md(q.domain(domain).name.get(lang))}**")
            st.dataframe(_estimate_rows(q, rows, lang), hide_index=True, width="stretch")
    st.download_button(
        t("rounds.figures.download", lang),
        data=host.figures_csv(q, shown, in_force, lang),
        file_name=file_name("figures", lang, round_.title, fallback="round"),
        mime="text/csv",
        icon=":material/download:",
    )


def _figure_rows(q: Questionnaire, groups: list, lang: Lang) -> list[dict[str, str]]:
    rows = []
    for g in groups:
        row = {t("rounds.csv.group", lang): host.group_name(q, g.group, lang)}
        if g.hidden:
            row[t("rounds.csv.count", lang)] = t("rounds.figures.hidden", lang)
        else:
            row[t("rounds.csv.count", lang)] = fmt_number(g.count, lang)
            row.update({type_def.name.get(lang): fmt_number(g.types[type_def.id], lang) for type_def in q.model.types})
            for dim in q.dimension_ids:
                s = g.spread[dim]
                row[q.dimension(dim).name.get(lang)] = t(
                    "rounds.figures.median_half",
                    lang,
                    median=fmt_score(s.median, lang),
                    q1=fmt_score(s.q1, lang),
                    q3=fmt_score(s.q3, lang),
                )
        rows.append(row)
    return rows


def _estimate_rows(q: Questionnaire, rows: list[Estimate], lang: Lang) -> list[dict[str, str]]:
    out = []
    for e in rows:
        row = {t("rounds.csv.group", lang): host.group_name(q, e.group, lang)}
        if e.dimensions is None:
            row[t("rounds.csv.count", lang)] = t("rounds.figures.hidden", lang)
        else:
            row[t("rounds.csv.count", lang)] = fmt_number(e.count, lang)
            for dim, u in e.dimensions.items():
                row[q.dimension(dim).name.get(lang)] = t(
                    "rounds.study.cell",
                    lang,
                    median=fmt_score(u.median, lang),
                    low=fmt_score(u.sampling[0], lang),
                    high=fmt_score(u.sampling[1], lang),
                    dk_low=fmt_score(u.dont_know[0], lang),
                    dk_high=fmt_score(u.dont_know[1], lang),
                )
        out.append(row)
    return out


def _differing(q: Questionnaire, round_: Round, domain: str, lang: Lang) -> None:
    found = round_session.derived(round_, ("differ", domain), lambda s: differing_items(q, s.batch, domain=domain))
    st.markdown(f"**{t('rounds.figures.differ', lang)}**")
    if not found:
        st.caption(t("rounds.figures.differ_none", lang, minimum=q.model.rounds.min_group))
        return
    lines = [
        t(
            "rounds.figures.differ_line",
            lang,
            question=md(q.items[item_id].text.get(lang)),
            q1=fmt_score(s.q1 * 100, lang),
            q3=fmt_score(s.q3 * 100, lang),
        )
        for item_id, s in found
    ]
    st.markdown("\n".join(f"- {line}" for line in lines))


def _previous_figures(q: Questionnaire, round_: Round) -> dict | None:
    if round_.previous_id is None:
        return None
    previous = round_session.round_by_id(round_.previous_id)
    if previous is None:
        return None
    round_session.scored(previous)
    return round_session.derived(previous, "figures", lambda s: host.figures(q, s))


def _development(q: Questionnaire, changes: list[host.Development], lang: Lang) -> None:
    st.markdown(f"**{t('rounds.figures.development', lang)}**")
    rows = []
    for c in changes:
        row = {t("rounds.csv.group", lang): host.group_name(q, c.group, lang)}
        for dim in q.dimension_ids:
            then = fmt_score(c.before[dim], lang) if c.before else t("rounds.figures.hidden_short", lang)
            now = fmt_score(c.now[dim], lang) if c.now else t("rounds.figures.hidden_short", lang)
            row[q.dimension(dim).name.get(lang)] = f"{then} → {now}"
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")


def peers(q: Questionnaire, round_: Round, key: str, lang: Lang) -> None:
    """On a participant's results: per domain, where it stands among its peers, in words and as
    median and middle half; nothing about any single other municipality."""
    _, scored = round_session.scored(round_)
    views = host.peers_of(q, scored, key)
    with st.container(border=True, key="round-peers"):
        st.subheader(t("rounds.peers.title", lang, title=md(round_.title)))
        st.caption(t("rounds.peers.intro", lang, minimum=q.model.rounds.min_group))
        for domain, view in views.items():
            name = q.domain(domain).name.get(lang)
            if view is None:
                st.markdown(f"**{md(name)}:** {t('rounds.peers.none', lang)}")
                continue
            sentences = " ".join(standing_text(q, view, dim, lang) for dim in q.dimension_ids)
            halves = "; ".join(
                t(
                    "rounds.peers.half",
                    lang,
                    dimension=q.dimension(dim).name.get(lang),
                    median=fmt_score(view.spread[dim].median, lang),
                    q1=fmt_score(view.spread[dim].q1, lang),
                    q3=fmt_score(view.spread[dim].q3, lang),
                )
                for dim in q.dimension_ids
            )
            st.markdown(f"**{md(name)}:** {md(sentences)}")
            st.caption(halves)
            own = host.own_point(scored, key, domain)
            if own is not None:
                st.vega_lite_chart(host.peers_spec(scored.questionnaire, view, own, lang), width="content")


def accepts_today(round_: Round) -> bool:
    return round_.accepts(datetime.now(TIMEZONE).date())
