"""The catalogue of content problems.

Every problem the loader reports has a code from this catalogue. The message
template says what is wrong; the fix template says what to do. ``docs/CONTENT.md``
lists every code (a test keeps them in step).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    message: str
    fix: str


def _e(code: str, message: str, fix: str) -> Code:
    return Code(code, Severity.ERROR, message, fix)


def _w(code: str, message: str, fix: str) -> Code:
    return Code(code, Severity.WARNING, message, fix)


CATALOGUE: dict[str, Code] = {
    c.code: c
    for c in [
        # Files and YAML
        _e(
            "F001",
            "content folder {folder} does not exist or has no model.yaml",
            "Pass the folder that holds model.yaml, sections/ and recommendations/.",
        ),
        _e("F002", "file cannot be read: {reason}", "Check the file's permissions and that it is UTF-8 text."),
        _e(
            "F003",
            "YAML syntax error: {reason}",
            "Fix the YAML at the line shown; a common cause is a colon or quote inside unquoted text, so put such text in double quotes.",
        ),
        _e(
            "F004",
            "the file is empty or its top level is not a mapping",
            "Start the file with the keys described in docs/CONTENT.md (for a section: `section:` and `items:`).",
        ),
        _w(
            "F005",
            "file {name} is not part of the content and is ignored",
            "Move it out of the content folder or rename it to one of the expected files.",
        ),
        _e(
            "F006",
            "key `{key}` appears twice in this mapping",
            "Keep one of the two; YAML would silently use only the last.",
        ),
        # Schema (structure of one file)
        _e("S001", "required key `{key}` is missing", "Add `{key}:` here (see docs/CONTENT.md for its format)."),
        _e("S002", "unknown key `{key}`{hint}", "Remove the key or correct its spelling."),
        _e("S003", "{problem} (got {got})", "{expected}"),
        # Texts and translations
        _e(
            "T001",
            "the {lang_name} text is missing",
            'Add `{lang}: "..."` beside the other language; every text is needed in German (de) and English (en).',
        ),
        _e(
            "T002",
            "the {lang_name} text is empty",
            "Write the {lang_name} text or remove the whole entry if it is not needed.",
        ),
        # Items
        _e(
            "I001",
            "id `{id}` is used twice (first at {first})",
            "Give each entry its own id; item ids must stay stable once published, so rename the newer one.",
        ),
        _e(
            "I002",
            "id `{id}` is not a valid id",
            "Use lowercase letters, digits and underscores, starting with a letter (e.g. `ue_heat_plan`).",
        ),
        _e("I003", "option id `{id}` is used twice in this item", "Give each option of an item its own id."),
        _e(
            "I004",
            "score {score} is outside 0 to 1",
            "Scores are fractions: 0 for the weakest and 1 for the strongest answer, e.g. `score: 0.5`.",
        ),
        _e(
            "I005",
            "the item loads on no dimension",
            "Give `weights:` a positive weight for at least one of the dimensions in model.yaml.",
        ),
        _e(
            "I006",
            "item is public but has no `public_hint`",
            "Tell a citizen where to look (council information system, website, funding database ...) in `public_hint: {{de: ..., en: ...}}`, or set `public: false`.",
        ),
        _e(
            "I007",
            "unknown topic tag `{tag}`{hint}",
            "Use a tag listed under `topics:` in model.yaml, or add the new tag there with its names.",
        ),
        _e(
            "I008",
            "option id `{id}` is reserved",
            'Remove this option: every item offers "weiß nicht / don\'t know" by itself, and "not our task" where `not_applicable` says so.',
        ),
        _e("I009", "a `{type}` item needs {needed}", "Add the missing {what}."),
        _e(
            "I010",
            "number bands must have rising `up_to` limits and scores that never fall",
            "Order the bands from the smallest to the largest limit, leave `up_to` out only on the last band, and let scores rise or stay equal.",
        ),
        _w(
            "I011",
            "the best answer scores {best}, so nobody can reach 100 on this item",
            "Give the strongest option `score: 1`, unless a ceiling below 100 is intended.",
        ),
        _w(
            "I012",
            "the weakest answer scores {worst}, so the item never pulls a score below that",
            "Give the weakest option `score: 0`, unless a floor is intended.",
        ),
        _e(
            "I013",
            "unknown dimension `{dim}`{hint}",
            "Use a dimension id from model.yaml.",
        ),
        _e(
            "I014",
            "`exclusive` is only meaningful in `multi` items",
            "Remove `exclusive: true` or make the item `type: multi`.",
        ),
        _e(
            "I015",
            "`per_inhabitants`, `bands` and `size_bands` are only meaningful in `number` items",
            "Remove them or make the item `type: number`.",
        ),
        _e(
            "I016",
            "the item does not say why it loads on its dimensions",
            "Add `rationale: {{de: ..., en: ...}}`: one or two sentences on why the item measures capacity, willingness to change or both (it is shown on the method page).",
        ),
        _e(
            "I017",
            "the item asks about a legal duty (`mandatory`) but loads on `{dim}`",
            "Doing what the law requires shows capacity, not willingness: keep the weight on {allowed} only, and ask about going beyond the duty (earlier, more, with others) in an item of its own.",
        ),
        _e(
            "I018",
            "unknown body kind `{ref}` in `not_applicable.body_kinds`{hint}",
            "Use a body kind id from model.yaml (`profile.body_kinds`).",
        ),
        _e(
            "I019",
            "`size_bands` has no bands for the size type `{size_type}`",
            "Give bands for every size type of model.yaml ({expected}) or remove `size_bands`; `bands` applies while the size type is unknown.",
        ),
        _e(
            "I020",
            "`size_bands.{size_type}` is unknown or malformed: {problem}",
            "Use size type ids from model.yaml, rising `up_to` limits with the last band open, scores from 0 (weakest) to 1 (strongest) that never fall.",
        ),
        # Conditions
        _e("C001", "condition refers to unknown item `{ref}`{hint}", "Refer to the id of an item that exists."),
        _e(
            "C002",
            "condition refers to `{ref}`, which is not asked before this item",
            "Conditions may only refer to an earlier item of the same section or to an item of the general section; move the item or the condition.",
        ),
        _e(
            "C003",
            "condition refers to option `{option}`, which item `{ref}` does not have{hint}",
            "Use one of the options of `{ref}`: {options}.",
        ),
        _e(
            "C004",
            "condition on `{ref}` shows this item for `{shown}` but hides it for the stronger answer `{hidden}`",
            "List every option that scores at least as high as the ones you list: a stronger answer must never hide what a weaker one shows.",
        ),
        _e(
            "C005",
            "condition on `{ref}` needs `any_of` (single or multi choice) or `at_least` (number)",
            "Write `{{item: {ref}, any_of: [...]}}` for a choice item or `{{item: {ref}, at_least: 1}}` for a number item.",
        ),
        _e(
            "C006",
            "public item depends on `{ref}`, which is not public",
            "A citizen never sees `{ref}`, so this item would stay hidden: make `{ref}` public too or drop the condition.",
        ),
        _e(
            "C007",
            "in `{domain}`, going from `{hidden}` to `{shown}` on `{ref}` gains {gain:.2f} of weight on {dim}, less than the follow-up's {needed:.2f}: a better answer could lower the score",
            "A hidden follow-up is left out of the score, so when a better answer shows it, the gain on the gate must pay for the follow-up at its weakest: lower the follow-up's weight on {dim}, raise the gate's, or widen the step between the two options.",
        ),
        _e(
            "C008",
            "a follow-up of the {type} item `{ref}` carries weight, but a better answer to `{ref}` can show it without a gain",
            "Let a single-choice item be the gate, or give the follow-up no weight (a number just below and just above a threshold, and a capped multi answer, score the same).",
        ),
        # Model configuration
        _e(
            "M001",
            "the model needs exactly two dimensions (found {count}: {found})",
            "The KTMSC crosses two dimensions, capacity and willingness to change; list exactly two under `dimensions:`.",
        ),
        _e(
            "M002",
            "the model has no domains",
            "List the domains under `domains:`, each with an `id` and a `name`; every domain needs a section file.",
        ),
        _e(
            "M003",
            "the types must cover the quadrants once each ({problem})",
            "Give each type a different `quadrant:` of `low`/`high` on both dimensions, one type per quadrant.",
        ),
        _e("M004", "{setting} is {got}, expected {expected}", "Correct `{setting}` in model.yaml."),
        _e(
            "M005",
            "each dimension needs its own axis (found {found})",
            "Give one dimension `axis: x` and the other `axis: y`.",
        ),
        _e(
            "M006",
            "size type bands overlap or leave a gap at {at}",
            "Let each size type's `min_population` be one more than the previous type's `max_population`.",
        ),
        _e("M007", "unknown id `{ref}` in {where}{hint}", "Use an id defined in model.yaml."),
        _e(
            "M008",
            "unknown size scheme `{ref}`{hint}",
            "Use an id listed under `profile.size_schemes`.",
        ),
        # Sections and domains
        _e(
            "D001",
            "there is no section file for {what}",
            "Add `sections/{name}.yaml` with `section: {name}` and its items.",
        ),
        _e("D002", "section `{section}` is defined twice (also in {other})", "Keep one file per section."),
        _e("D003", "section `{section}` has {count} items; at least {minimum} are needed", "Add items to the section."),
        _e(
            "D004",
            "section `{section}` has {count} items mainly on {dim}; at least {minimum} are needed",
            "Add items whose largest weight is on {dim}, or shift weights of existing items.",
        ),
        _e(
            "D005",
            "in `{domain}`, the answer pattern for {type} gives LF {lf:.0f} / VB {vb:.0f}, which is not the {type} quadrant",
            "Separate the dimensions more: items should load clearly more on one dimension than on the other.",
        ),
        _w(
            "D006",
            "section `{section}` has only {count} public items on {dim}; the citizen view can barely place this domain",
            "Mark more items as public where a citizen can check them, with a hint where to look.",
        ),
        _e("D007", "unknown section `{section}`{hint}", "Use `general` or one of the domain ids from model.yaml."),
        _e(
            "D008",
            "topic `{topic}` names `{item}`, which is not an item of section `{section}`{hint}",
            "Use the id of an item of this file, or remove it from the topic.",
        ),
        _e(
            "D009",
            "item `{item}` is in {count} topics; with topics, every item of the section is in exactly one",
            "Add the item to the topic it belongs to, or remove it from all but one.",
        ),
        _e(
            "D010",
            "topic `{topic}` does not follow the items' order: `{item}` is not the item after `{previous}` in the file",
            "List each topic's items in the order of the file, the topics one after another (question numbers follow the file).",
        ),
        _e(
            "D011",
            "topic `{topic}` has {count} items; a step shows at most {limit}",
            "Split the topic into two.",
        ),
        # Recommendations
        _e(
            "R001",
            "{type} × {domain} has {count} recommendations; at least {minimum} are needed",
            "Add recommendations under `by_type: {type}:` in recommendations/{domain}.yaml.",
        ),
        _e("R002", "unknown type `{ref}`{hint}", "Use one of the type ids from model.yaml: {options}."),
        _e("R003", "tip refers to unknown item `{ref}`{hint}", "Refer to an item id of the questionnaire."),
        _e(
            "R004",
            "dimension `{dim}` has {count} paths; at least {minimum} are needed",
            "Add entries under `paths: {dim}:` in recommendations/general.yaml.",
        ),
        _e("R005", "recommendation id `{id}` is used twice (first at {first})", "Give each recommendation its own id."),
        _e("R006", "there is no recommendations file for {what}", "Add `recommendations/{name}.yaml`."),
        _e(
            "R007",
            "tip for `{ref}` belongs in recommendations/{expected}.yaml",
            "Move the tip to the file of the section that asks the item.",
        ),
        _e(
            "R008",
            "the recommendation has no `triggers`",
            "Tie it to the answers that call for it: `triggers: [{{item: <item id>, max_score: 0.5}}]`; it is then shown when one of them is answered at most that strongly and never when all are answered above.",
        ),
        _e(
            "R009",
            "trigger or condition refers to `{ref}`, which {problem}",
            "Refer to an item of this section or of the general section, with an option it has.",
        ),
        _w(
            "R010",
            "the title “{title}” repeats in {other}",
            "Advice that fits every domain belongs once under `cross_domain:` in recommendations/general.yaml, not in each domain's file.",
        ),
        # The example municipality (example.yaml)
        _e(
            "E001",
            "the example answers `{ref}`, which the questionnaire does not have{hint}",
            "Remove the answer, or give it the item's new id if the item was renamed (ids are in sections/*.yaml).",
        ),
        _e(
            "E002",
            "the example's answer {value} to `{ref}` is not one the item can read",
            "Answer with {expected}, or `dont_know`; `not_applicable` only where the item offers it to the example's kind of body.",
        ),
        _w(
            "E003",
            "the example answers `{ref}`, which it is not asked: {why}",
            "Remove the answer, or change the example's domains, perspective or earlier answer so that the item is asked.",
        ),
        _e(
            "E004",
            "unknown id `{ref}` in the example's profile or domains{hint}",
            "Use an id defined in model.yaml under `{where}`.",
        ),
        _w(
            "E005",
            "the example leaves {count} question(s) it is asked unanswered: {ids}",
            "Give each the answer this invented municipality would plausibly give (or `dont_know`), so its results show no open questions.",
        ),
        _w(
            "E006",
            "the example is the type `{type}` in every domain it assesses",
            "Choose domains, or change answers in one domain's section, so that the example shows what the model says: a municipality can be a different type in each domain.",
        ),
        _e(
            "E007",
            "the example's name is longer than {limit} characters",
            "Shorten the name; it is the municipality's name on every page and in the report.",
        ),
    ]
}


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...] | set[str]) -> str:
    """A "did you mean" hint for near misses, or an empty string."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


@dataclass(frozen=True)
class Problem:
    """One content problem: where it is, what is wrong, how to fix it."""

    code: str
    file: str
    path: str
    message: str
    fix: str
    line: int | None = None

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        path = f" {self.path}" if self.path else ""
        return f"{where}{path}: {self.severity.value} {self.code}: {self.message}. Fix: {self.fix}"

    def __str__(self) -> str:
        return self.format()


def problem(code: str, file: str, path: str = "", line: int | None = None, **params: object) -> Problem:
    entry = CATALOGUE[code]
    return Problem(
        code=code,
        file=file,
        path=path,
        message=entry.message.format(**params),
        fix=entry.fix.format(**params),
        line=line,
    )
