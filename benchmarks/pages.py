"""Reruns of single pages: the questions page against its bare script, and the results page."""

from __future__ import annotations

import asyncio
import logging
import os
from collections import Counter

from benchmarks.client import Run, Session
from benchmarks.fixtures import LANG, Fixture, option_ids, quiet_single_item
from benchmarks.report import Figure, Report, log, median, ms
from benchmarks.server import ROOT, CpuWatch, Server, noise_note

RATIO_BUDGET = "<= 1.5"
RESULTS_BUDGET = "< 100"
# Idle time before each measured rerun, as between a person's clicks. Without it, back-to-back
# reruns hit a TCP stall that is not server time: Streamlit's server socket leaves Nagle on
# (it is created without IPPROTO_TCP, so asyncio does not set TCP_NODELAY), and a client that
# sends again within ~40 ms of its last receive delays its ACKs, so every run waits ~40 ms.
GAP_S = 0.15
WIDGET_KINDS = ("radio", "checkbox", "number_input", "text_area", "text_input", "selectbox", "button_group", "button")
# AppTest names a toggle apart; on the wire it is a checkbox.
APPTEST_KINDS = {"toggle": "checkbox"}


def require_ok(run: Run, what: str) -> None:
    if not run.ok:
        raise RuntimeError(f"{what}: {run.status}, exceptions {run.exceptions}, errors {run.errors}")


async def questions(fx: Fixture, app: Server, bare: Server, report: Report, *, reps: int, answer_reps: int) -> None:
    app_s, app_first = await Session.open(app.port, "questions", fx.query(fx.main))
    bare_s, bare_first = await Session.open(bare.port, "", f"lang={LANG}")
    try:
        require_ok(app_first, "questions page, first run")
        require_ok(bare_first, "bare script, first run")
        _compare_shapes(report, app_first, bare_first, app_s, bare_s)

        # Reruns without a change (what the browser sends on "Rerun"), app and bare alternating.
        watch = CpuWatch(app, bare)
        app_times, bare_times = await _alternate(app_s, bare_s, reps, warmup=10)
        cpu = watch.stop()
        noisy = noise_note(cpu)
        rerun_app, rerun_bare = median(ms(app_times)), median(ms(bare_times))
        report.add(Figure("rerun_ms_questions", rerun_app, "ms", samples=len(app_times), note=noisy, detail=cpu))
        report.add(Figure("rerun_ms_questions_bare", rerun_bare, "ms", samples=len(bare_times), note=noisy))
        report.add(
            Figure(
                "rerun_ratio_questions",
                rerun_app / rerun_bare,
                "x",
                RATIO_BUDGET,
                note=f"app / bare, medians, alternating {noisy}".strip(),
                detail=cpu,
            )
        )

        # An answer: one radio changes; the app saves it and reruns, the bare script only reruns.
        item = quiet_single_item(fx.q)
        key = f"q.{LANG}.{item.id}.answer"
        ids = option_ids(item)
        watch = CpuWatch(app, bare)
        frag_s, frag_first = await Session.open(bare.port, "", f"lang={LANG}&fragments=1")
        try:
            require_ok(frag_first, "bare script with fragments, first run")
            answer_app, (answer_bare, answer_frag) = await _answers(
                fx, report, app_s, [bare_s, frag_s], key, ids, answer_reps, item.id
            )
        finally:
            await frag_s.close()
        cpu = watch.stop()
        noisy = noise_note(cpu)
        report.add(Figure("answer_ms_questions", median(ms(answer_app)), "ms", samples=len(answer_app), note=noisy))
        report.add(
            Figure("answer_ms_questions_bare", median(ms(answer_bare)), "ms", samples=len(answer_bare), note=noisy)
        )
        report.add(
            Figure(
                "answer_ratio_questions",
                median(answer_app) / median(answer_bare),
                "x",
                RATIO_BUDGET,
                note=f"radio {item.id} changed each run {noisy}".strip(),
                detail=cpu,
            )
        )
        # Like for like when the app answers in a fragment rerun: the bare script with each
        # question an st.fragment, same interaction.
        report.add(
            Figure(
                "answer_ms_questions_bare_fragments",
                median(ms(answer_frag)),
                "ms",
                samples=len(answer_frag),
                note=f"bare script, each question an st.fragment {noisy}".strip(),
            )
        )
        report.add(
            Figure(
                "answer_ratio_questions_fragments",
                median(answer_app) / median(answer_frag),
                "x",
                note=f"app / bare with fragments {noisy}".strip(),
                detail=cpu,
            )
        )
        report.meta["questions"] = {
            "page": "/questions?lang=de&a=<token>, step general",
            "messages_per_run": {"app": app_first.messages, "bare": bare_first.messages},
            "bytes_per_run": {"app": app_first.bytes, "bare": bare_first.bytes},
            "widgets": dict(app_first.widgets),
        }
    finally:
        await app_s.close()
        await bare_s.close()


async def questions_again(fx: Fixture, app: Server, bare: Server, report: Report, *, reps: int) -> None:
    """The questions rerun again, after the app server has also drawn the results page.

    A production server has served every page; the modules the results page imports (altair,
    pandas, the report) stay in the process and every rerun's post-script garbage collection
    walks them too.
    """
    app_s, _ = await Session.open(app.port, "questions", fx.query(fx.main))
    bare_s, _ = await Session.open(bare.port, "", f"lang={LANG}")
    try:
        watch = CpuWatch(app, bare)
        app_times, bare_times = await _alternate(app_s, bare_s, reps, warmup=5)
        cpu = watch.stop()
        app_ms, bare_ms = median(ms(app_times)), median(ms(bare_times))
        report.add(
            Figure(
                "rerun_ratio_questions_after_results",
                app_ms / bare_ms,
                "x",
                RATIO_BUDGET,
                samples=len(app_times),
                note=f"same server after the results page: app {app_ms:.0f} ms, bare {bare_ms:.0f} ms {noise_note(cpu)}".strip(),
                detail=cpu | {"app_ms": round(app_ms, 1), "bare_ms": round(bare_ms, 1)},
            )
        )
    finally:
        await app_s.close()
        await bare_s.close()


def _compare_shapes(report: Report, app_run: Run, bare_run: Run, app_s: Session, bare_s: Session) -> None:
    report.check(
        "bare script draws the same widgets",
        app_run.widgets == bare_run.widgets,
        f"app {dict(sorted(app_run.widgets.items()))}, bare {dict(sorted(bare_run.widgets.items()))}",
    )
    # Plain layout wrappers (an st.fragment's blocks, a borderless st.container) draw nothing;
    # they are reported but do not count as a difference.
    wrappers = ("block:flex_container", "block:transparent")
    app_elements, bare_elements = Counter(app_run.elements), Counter(bare_run.elements)
    extra_wrappers = sum(app_elements.pop(w, 0) - bare_elements.pop(w, 0) for w in wrappers)
    same_elements = app_elements == bare_elements
    report.check(
        "bare script draws the same elements and blocks",
        same_elements,
        (
            "identical"
            if same_elements
            else f"app−bare {app_elements - bare_elements}, bare−app {bare_elements - app_elements}"
        )
        + (f"; layout wrappers (fragments, plain containers): app {extra_wrappers:+d}" if extra_wrappers else ""),
    )
    report.check(
        "bare script uses the same widget keys",
        set(app_s.keys()) == set(bare_s.keys()),
        f"{len(app_s.keys())} keys"
        + (
            f", differing {sorted(set(app_s.keys()) ^ set(bare_s.keys()))[:6]}"
            if set(app_s.keys()) != set(bare_s.keys())
            else ""
        ),
    )


async def _alternate(a: Session, b: Session, reps: int, warmup: int) -> tuple[list[float], list[float]]:
    for _ in range(warmup):
        require_ok(await a.rerun(), "warm-up")
        require_ok(await b.rerun(), "warm-up")
    times_a: list[float] = []
    times_b: list[float] = []
    for i in range(reps):
        order = ((a, times_a), (b, times_b)) if i % 2 == 0 else ((b, times_b), (a, times_a))
        for session, times in order:
            await asyncio.sleep(GAP_S)
            run = await session.rerun()
            require_ok(run, "rerun")
            times.append(run.elapsed_s)
    return times_a, times_b


async def _answers(
    fx: Fixture,
    report: Report,
    app_s: Session,
    yardsticks: list[Session],
    key: str,
    ids: list[str],
    reps: int,
    item_id: str,
) -> tuple[list[float], list[list[float]]]:
    radio = app_s.by_key(key)
    labels = dict(zip(ids, radio.options, strict=True))
    current = ids[radio.options.index(radio.value)] if radio.value in radio.options else None
    plain = ids[:-1]  # never "don't know": every run changes the answer to another real option
    first = next(o for o in plain if o != current)
    second = current if current in plain else next(o for o in plain if o != first)
    cycle = [first, second]
    app_times: list[float] = []
    other_times: list[list[float]] = [[] for _ in yardsticks]
    stored_ok = shown_ok = 0
    checked = 0
    sessions = [(app_s, app_times), *zip(yardsticks, other_times, strict=True)]
    for i in range(reps + 4):
        option = cycle[i % 2]
        label = labels[option]
        turn = i % len(sessions)  # who goes first rotates
        for session, times in sessions[turn:] + sessions[:turn]:
            await asyncio.sleep(GAP_S)
            run = await session.rerun({session.by_key(key).id: label})
            require_ok(run, "answer")
            if i >= 4:  # the first four are warm-up
                times.append(run.elapsed_s)
        shown_ok += app_s.by_key(key).value == label
        if i < 3 or i == reps + 3:  # the database holds what the client sent (checked outside the timing)
            checked += 1
            stored_ok += fx.stored_answer(fx.main, item_id) == option
    report.check(
        "an answer sent by the client is stored",
        stored_ok == checked,
        f"{stored_ok}/{checked} database reads of {item_id} equal the option the client chose",
    )
    report.check(
        "the page shows the stored answer after the rerun",
        shown_ok == reps + 4,
        f"{shown_ok}/{reps + 4} reruns drew the radio with the chosen option",
    )
    return app_times, other_times


def widget_count_check(fx: Fixture, report: Report, seen: Counter, seen_keys: set[str]) -> None:
    """Compare what the client saw with what the page renders in Streamlit's AppTest (in-process)."""
    os.environ["KTMSC_DATABASE_URL"] = fx.url
    os.environ.setdefault("KTMSC_PUBLIC_URL", "http://127.0.0.1")
    from streamlit.testing.v1 import AppTest

    # Streamlit warns about cache calls outside a script run when AppTest starts; nothing to see.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = LANG
    at.query_params["a"] = fx.main.edit_token
    at.switch_page("ktmsc/ui/pages/questions.py")
    at.run()
    rendered = Counter()
    keys: set[str] = set()
    for kind in (*WIDGET_KINDS, *APPTEST_KINDS):
        found = list(at.get(kind))
        if found:
            rendered[APPTEST_KINDS.get(kind, kind)] += len(found)
        keys |= {w.key for w in found if getattr(w, "key", None)}
    report.check(
        "client sees the widgets the page renders (AppTest)",
        rendered == seen and keys == seen_keys,
        f"AppTest {sum(rendered.values())} widgets {dict(sorted(rendered.items()))}; client {sum(seen.values())}"
        + ("" if keys == seen_keys else f"; keys differ: {sorted(keys ^ seen_keys)[:6]}"),
    )


async def questions_snapshot(fx: Fixture, app: Server) -> tuple[Counter, set[str]]:
    """The widgets one fresh client session sees on the questions page (for the AppTest check)."""
    session, run = await Session.open(app.port, "questions", fx.query(fx.main))
    try:
        require_ok(run, "questions page")
        return run.widgets, set(session.keys())
    finally:
        await session.close()


async def results(fx: Fixture, app: Server, report: Report, *, reps: int) -> None:
    session, first = await Session.open(app.port, "results", fx.query(fx.main))
    try:
        require_ok(first, "results page, first run")
        report.check(
            "results page draws chart and tables",
            first.elements["vega_lite_chart"] >= 1 and first.elements["table"] + first.elements["arrow_table"] >= 1,
            f"{sum(first.elements.values())} elements, {first.bytes} bytes: "
            + ", ".join(f"{k} {v}" for k, v in first.elements.most_common(8)),
        )
        for _ in range(5):
            require_ok(await session.rerun(), "warm-up")
        times = []
        watch = CpuWatch(app)
        for _ in range(reps):
            await asyncio.sleep(GAP_S)
            run = await session.rerun()
            require_ok(run, "results rerun")
            times.append(run.elapsed_s)
        cpu = watch.stop()
        report.add(
            Figure(
                "rerun_ms_results",
                median(ms(times)),
                "ms",
                RESULTS_BUDGET,
                samples=len(times),
                note=f"all six domains answered {noise_note(cpu)}".strip(),
                detail=cpu,
            )
        )
        log(f"results page: {first.messages} messages, {first.bytes / 1000:.0f} kB per run")
    finally:
        await session.close()


async def what_if(fx: Fixture, app: Server, report: Report, *, reps: int) -> None:
    """A hypothetical answer on the results page ("what if", a fragment) against a results rerun.

    "What if" is switched on first (its toggle); then alternating: a rerun of the whole
    results page without a change, and a change of one what-if selectbox (the first
    single-choice question of the domain shown), which reruns only its fragment and scores a
    copy of the answers."""
    session, first = await Session.open(app.port, "results", fx.query(fx.main))
    try:
        require_ok(first, "results page, first run")
        names = session.keys()
        switch = next(k for k in names if k.startswith(f"whatif.{LANG}.") and k.endswith(".open"))
        require_ok(await session.rerun({session.by_key(switch).id: True}), "opening what if")
        names = session.keys()
        keys = [k for k in names if k.startswith(f"whatif.{LANG}.") and session.by_key(k).kind == "selectbox"]
        report.check("results page draws the what-if questions", bool(keys), f"{len(keys)} what-if selectboxes")
        widget = session.by_key(keys[0])
        choices = [o for o in widget.options if o != widget.value][:2]
        stored_before = fx.stored_answer(fx.main, keys[0].rsplit(".", 1)[1])
        for i in range(5):
            require_ok(await session.rerun(), "warm-up")
            require_ok(await session.rerun({widget.id: choices[i % 2]}), "warm-up what-if")
        rerun_times, change_times = [], []
        watch = CpuWatch(app)
        for i in range(reps):
            order = ("rerun", "change") if i % 2 == 0 else ("change", "rerun")
            for what in order:
                await asyncio.sleep(GAP_S)
                if what == "rerun":
                    run = await session.rerun()
                    require_ok(run, "results rerun")
                    rerun_times.append(run.elapsed_s)
                else:
                    run = await session.rerun({widget.id: choices[i % 2]})
                    require_ok(run, "what-if change")
                    change_times.append(run.elapsed_s)
        cpu = watch.stop()
        noisy = noise_note(cpu)
        report.check(
            "a what-if change stores nothing",
            fx.stored_answer(fx.main, keys[0].rsplit(".", 1)[1]) == stored_before,
            f"{keys[0]}: the stored answer is unchanged after {reps + 5} hypothetical changes",
        )
        change_ms, rerun_ms = median(ms(change_times)), median(ms(rerun_times))
        report.add(Figure("whatif_ms_results", change_ms, "ms", samples=len(change_times), note=noisy, detail=cpu))
        report.add(
            Figure(
                "whatif_ratio_results",
                change_ms / rerun_ms,
                "x",
                RATIO_BUDGET,
                samples=len(change_times),
                note=f"what-if change / results rerun ({rerun_ms:.0f} ms), medians, alternating {noisy}".strip(),
                detail=cpu | {"rerun_ms": round(rerun_ms, 1)},
            )
        )
    finally:
        await session.close()
