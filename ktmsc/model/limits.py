"""Every limit on what people and files may put in: one home for the storage, the CLI and the widgets.

The database columns are at least as wide as these limits (``ktmsc.storage.tables``); the
widgets pass them as ``max_chars``; the storage and the file reader refuse anything longer.
"""

MAX_FILE_BYTES = 1_000_000  # an exported assessment (JSON) read by the import and the CLI
MAX_CONTENT_FILE_BYTES = 2_000_000  # one YAML file of the content

MAX_NAME = 200  # the municipality's name
MAX_POPULATION = 100_000_000
MAX_NOTE = 2_000  # a note on one question
MAX_EVIDENCE = 500  # an evidence link or reference on one question
MAX_NUMBER = 1_000_000  # a number answer (the number field and the storage refuse more)
MAX_STEP_QUESTIONS = 7  # questions one step of the questionnaire shows at most (a topic, a part of a domain)

MAX_TITLE = 120  # a workshop's title (shown on a projector: short)
MAX_PSEUDONYM = 80  # a participant's pseudonym
MAX_ROLE = 80  # a participant's role
MAX_INVITATION_LABEL = 120  # whom a personal workshop invitation is for ("Frau Weber, Bauamt")
MAX_INVITATIONS = 200  # personal invitations made at once
MAX_REASON = 200  # a participant's one-line reason for an answer in a workshop's second round
MAX_SECOND_ROUND_ITEMS = 20  # questions a workshop's second round asks again at most
MAX_COUNTDOWN_MINUTES = 120  # a workshop round's countdown
MAX_CODE_INPUT = 64  # what may be typed into the join-code field (a code or a pasted token)
MAX_LINK_INPUT = 2_000  # a pasted resume link

MAX_ROSTER_BYTES = 5_000_000  # the list of a round's municipalities (CSV): every German one fits
MAX_ROSTER_ROWS = 20_000  # about twice the number of German municipalities and Kreise
OFFICIAL_KEY_LENGTHS = (5, 8, 9, 12)  # digits of a Kreis's key, an AGS, a Gemeindeverband's key, an ARS

# The action plan (ktmsc.model.assessment.PlanEntry)
MAX_PLAN_ENTRIES = 200  # entries of one assessment's plan
MAX_WHO = 200  # who does it: a role or a unit
MAX_PLAN_NOTE = 2_000  # a plan entry's note
FIRST_DUE_YEAR = 2000  # "by when" lies in these years: a typo such as 0202 or 20266 is refused
LAST_DUE_YEAR = 2099

# How long steps of the questionnaire really take (ktmsc.storage.step_times): a step counts when
# it was left after at least MIN_STEP_SECONDS (not a click through) and at most
# MAX_STEP_SECONDS (not a tab left open over lunch); the method page shows a step's median
# from STEP_TIMES_SHOWN_FROM durations on.
MIN_STEP_SECONDS = 5
MAX_STEP_SECONDS = 45 * 60
STEP_TIMES_SHOWN_FROM = 5
