"""The results page opens with what to do: the next steps, the two caveats, and everything else
collapsed (AppTest); the report's first page shows the same steps (pypdf)."""

from __future__ import annotations

import io
import random
import re

import pytest
from pypdf import PdfReader
from test_report import random_answers
from test_selection import make

from app_driver import open_app
from ktmsc.labels import fmt_percent
from ktmsc.model.questionnaire import PERSPECTIVE_CITIZEN
from ktmsc.readout import build_readout
from ktmsc.report import render_report
from ktmsc.texts import t

DOMAINS = ["verwaltung_bildung", "mobilitaet"]


def walk(block, inside: tuple[str, ...] = ()):
    """Every element of the page in order, with the labels of the expanders around it."""
    for child in block.children.values():
        if child.type == "expander":
            yield from walk(child, (*inside, child.label))
        elif child.type in ("flex_container", "column"):
            yield from walk(child, inside)
        else:
            yield child, inside


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def open_results(app_store, questionnaire, assessment, lang="de"):
    stored = app_store.create_assessment(assessment)
    at = open_app(lang, page="results", a=stored.edit_token)
    assert not at.exception, [e.value for e in at.exception]
    return at, build_readout(questionnaire, assessment)


def first_page(readout, lang="de") -> str:
    page = PdfReader(io.BytesIO(render_report(readout, lang))).pages[0]
    return " ".join(page.extract_text().split())


@pytest.mark.parametrize("lang", ["de", "en"])
def test_results__open_with_the_next_steps_and_the_caveats_the_rest_collapsed(app_store, questionnaire, lang):
    answers = random_answers(questionnaire, 5)
    at, readout = open_results(app_store, questionnaire, make(questionnaire, answers, DOMAINS), lang)
    assert len(readout.next_steps) == 3
    elements = list(walk(at.main))
    headers = [(e.value, inside) for e, inside in elements if e.type in ("header", "subheader")]
    assert headers[0] == (t("ui.results_lead.title", lang), ())

    top = [(e, inside) for e, inside in elements if not inside]
    start = next(i for i, (e, _) in enumerate(top) if e.type == "header" and e.value == headers[0][0])
    after = [e for e, _ in top[start + 1 :]]
    # Right below the heading: a caption, the steps, the caveats; then the overview.
    assert [e.type for e in after[:4]] == ["caption", "markdown", "info", "header"]
    steps = unescape(after[1].value)
    titles = [s.recommendation.title.get(lang) for s in readout.next_steps]
    assert re.findall(r"^\*\*\d\. (.+?)\*\*", steps, flags=re.M) == titles
    for step in readout.next_steps:  # which domain, and which answers call for it
        names = readout.domain_names(step.domains, lang)
        assert f"{t('ui.results_lead.for_domains', lang)}: {names}" in steps
        assert questionnaire.items[step.reasons[0]].text.get(lang) in steps
    caveats = after[2]
    assert t("core.caveats.self", lang) in unescape(caveats.value) and t("core.caveats.model", lang) in unescape(
        caveats.value
    )

    # Nothing else is shown open: every other recommendation, path, tip, lever and open question
    # lies in an expander.
    shown_open = " ".join(
        unescape(e.value) for e, inside in elements if not inside and hasattr(e, "value") and isinstance(e.value, str)
    )
    rest = [s.recommendation for s in readout.cross_domain]
    for domain in readout.domains.values():
        advice = domain.advice
        rest += [s.recommendation for s in advice.first_steps] + list(advice.recommendations)
        rest += [p for paths in advice.paths.values() for p in paths]
        for tip in advice.tips:
            assert tip.text.get(lang) not in shown_open
    for rec in rest:
        assert rec.first_step.get(lang) not in shown_open, rec.id
    for tip in readout.general_tips:
        assert tip.text.get(lang) not in shown_open
    assert t("ui.results.levers_help", lang) not in shown_open
    assert t("ui.results.open_items_help", lang) not in shown_open
    labels = {label for _, inside in elements for label in inside}
    assert t("ui.results_lead.levers", lang) in labels and t("ui.results.open_items", lang) in labels

    # The report's first page leads with the same steps.
    page = first_page(readout, lang)
    positions = [page.find(title) for title in titles]
    assert -1 not in positions and positions == sorted(positions)


def test_outside_view__opens_with_the_citizens_steps_and_what_it_cannot_see(app_store, questionnaire):
    rnd = random.Random(8)
    answers = {
        k: v for k, v in random_answers(questionnaire, rnd.randrange(2**32)).items() if questionnaire.items[k].public
    }
    assessment = make(questionnaire, answers, DOMAINS, PERSPECTIVE_CITIZEN)
    at, readout = open_results(app_store, questionnaire, assessment)
    elements = list(walk(at.main))
    headers = [e.value for e, _ in elements if e.type in ("header", "subheader")]
    assert headers[0] == "Was Sie als Nächstes tun können"
    shown_open = " ".join(
        unescape(e.value) for e, inside in elements if not inside and isinstance(getattr(e, "value", None), str)
    )
    for step in readout.outside.steps:
        assert step.step.title.get("de") in shown_open
    assert "Einwohnerfragestunde" in shown_open and "Informationsfreiheits" in shown_open
    assert "nur selten stabil" in shown_open
    listed = next(
        unescape(e.value)
        for e, inside in elements
        if inside == ("Was die Außensicht nicht sieht",) and e.type == "markdown"
    )
    topics = {topic.id: topic.name.get("de") for topic in questionnaire.model.topics}
    for topic, items in readout.outside.unseen:
        assert f"**{topics[topic]}**" in listed
        assert all(questionnaire.items[i].text.get("de") in listed for i in items)
    # No advice addressed to the administration leads the page.
    assert readout.next_steps == ()
    admin_first = [
        s.recommendation.first_step.get("de") for d in readout.domains.values() for s in d.advice.first_steps
    ]
    assert not any(text in shown_open for text in admin_first)
    # Coverage in the overview is against the whole model: never 100 % from outside.
    overview = next(e.value for e, _ in elements if e.type == "table")
    coverage = [cell.split("  \n")[-1] for cell in overview[t("ui.result.scores", "de")]]
    assert all(c.startswith(t("ui.result.coverage", "de")) and not c.endswith(fmt_percent(1.0, "de")) for c in coverage)
