"""The platform's code→label lists, read from the seed ``dbt/seeds/catalog/vocabulary.csv``.

Statuses, compliance states, severities and the like are data, not dicts in code: dbt loads
the same file as the seed ``catalog.vocabulary``, so the marts, the Python reports, Superset
and the review PDF show one Vietnamese label and one colour per code.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.settings import CATALOG_DIR

VOCABULARY_FILE = "vocabulary.csv"

ATTAINMENT_STATUS = "attainment_status"
COMPLIANCE_STATUS = "compliance_status"
SEVERITY = "severity"
FILE_STATUS = "file_status"
CONSISTENCY_STATUS = "consistency_status"
TARGET_AREA = "target_area"
UNIT_LEVEL = "unit_level"


@dataclass(frozen=True)
class Term:
    """One code of one domain, with everything a reader shows about it."""

    domain: str
    code: str
    sort_order: int
    label_vi: str
    label_en: str
    colour: str | None
    is_on_track: bool | None
    is_reached: bool | None
    weakness_rank: int | None
    ranking_group: str | None
    description_vi: str


def _flag(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text.strip().lower())


@cache
def _terms(folder: Path = CATALOG_DIR) -> dict[str, tuple[Term, ...]]:
    """Every domain's terms in display order (read once per folder)."""
    by_domain: dict[str, list[Term]] = {}
    with open(folder / VOCABULARY_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            row = {key: unicodedata.normalize("NFC", value or "").strip() for key, value in row.items()}
            term = Term(
                domain=row["domain"],
                code=row["code"],
                sort_order=int(row["sort_order"]),
                label_vi=row["label_vi"],
                label_en=row["label_en"],
                colour=row["colour"] or None,
                is_on_track=_flag(row["is_on_track"]),
                is_reached=_flag(row["is_reached"]),
                weakness_rank=int(row["weakness_rank"]) if row["weakness_rank"] else None,
                ranking_group=row["ranking_group"] or None,
                description_vi=row["description_vi"],
            )
            by_domain.setdefault(term.domain, []).append(term)
    return {domain: tuple(sorted(terms, key=lambda t: t.sort_order)) for domain, terms in by_domain.items()}


def domains() -> tuple[str, ...]:
    return tuple(_terms())


def terms(domain: str) -> tuple[Term, ...]:
    """The terms of a domain in display order; an unknown domain is a ``KeyError``."""
    return _terms()[domain]


def term(domain: str, code: str) -> Term:
    """One term; an unknown code is a ``KeyError`` naming the domain and the code."""
    for candidate in terms(domain):
        if candidate.code == code:
            return candidate
    raise KeyError(f"{domain}: {code}")


def codes(domain: str) -> tuple[str, ...]:
    """The codes of a domain in display order."""
    return tuple(t.code for t in terms(domain))


def labels_vi(domain: str) -> dict[str, str]:
    """Code → Vietnamese label, in display order (for tables, legends and counts)."""
    return {t.code: t.label_vi for t in terms(domain)}


def label_vi(domain: str, code: str) -> str:
    return term(domain, code).label_vi


def colour(domain: str, code: str) -> str | None:
    """The code's hex colour (``#1B7F3B``), or None where the code is not coloured."""
    return term(domain, code).colour


def colours(domain: str) -> dict[str, str]:
    """Code → hex colour of the domain's coloured codes, in display order."""
    return {t.code: t.colour for t in terms(domain) if t.colour}


def on_track_statuses() -> tuple[str, ...]:
    """Attainment statuses that count as reached or on pace (vuot, dat, dung_tien_do)."""
    return tuple(t.code for t in terms(ATTAINMENT_STATUS) if t.is_on_track)


def at_risk_statuses() -> tuple[str, ...]:
    """Attainment statuses that are neither reached nor on pace (the review's "at risk" list)."""
    return tuple(t.code for t in terms(ATTAINMENT_STATUS) if t.is_on_track is False)


def reached_statuses() -> tuple[str, ...]:
    """Attainment statuses whose plan level is reached (vuot, dat): a group's criterion is met."""
    return tuple(t.code for t in terms(ATTAINMENT_STATUS) if t.is_reached)
