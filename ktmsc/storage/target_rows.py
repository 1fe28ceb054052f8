"""Targets as the ``targets`` table holds them: checked before a write, inserted in bulk.

A target is, per domain, the type the assessment wants to be in two years (domain id →
type id). With a questionnaire, both ids must be its own; without one (maintenance,
storage tests), only the shapes the columns hold are checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert

from ktmsc.model.questionnaire import Questionnaire
from ktmsc.storage import values
from ktmsc.storage.errors import InvalidValue
from ktmsc.storage.tables import DOMAIN_ID, TYPE_ID, targets


def checked(questionnaire: Questionnaire | None, goals: Mapping[str, Any], *, clearing: bool = False) -> dict[str, Any]:
    """Every target checked (domain → type id); with ``clearing``, None (clear it) is allowed."""
    if not isinstance(goals, Mapping):
        raise InvalidValue("targets must map domain ids to type ids")
    out: dict[str, Any] = {}
    for domain, type_id in goals.items():
        domain = values.short_text(domain, DOMAIN_ID, "the target's domain", required=True)
        if type_id is None and clearing:
            out[domain] = None
            continue
        type_id = values.short_text(type_id, TYPE_ID, "the target's type", required=True)
        q = questionnaire
        if q is not None and (domain not in q.domain_ids or type_id not in q.types):
            raise InvalidValue(f"no target {domain}={type_id} in this questionnaire")
        out[domain] = type_id
    return out


def insert_rows(conn: Connection, assessment_id: str, goals: Mapping[str, str], now: datetime) -> None:
    if goals:
        conn.execute(
            insert(targets),
            [
                {"assessment_id": assessment_id, "domain": domain, "type_id": type_id, "updated_at": now}
                for domain, type_id in goals.items()
            ],
        )
