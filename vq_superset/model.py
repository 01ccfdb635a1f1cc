"""What a dashboard spec is made of: plain, frozen data; rendering to Superset's YAML is elsewhere.

Every dataset, chart and dashboard carries its own UUID, written in its spec: Superset keys
imported assets by UUID, so a spec keeps its identity whatever is added around it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Column:
    """A dataset column and how people read it."""

    name: str
    type: str
    label: str
    is_dttm: bool = False


@dataclass(frozen=True)
class SavedMetric:
    """A metric stored on the dataset (filters sort their values by these)."""

    name: str
    expression: str
    label: str


@dataclass(frozen=True)
class Dataset:
    """A virtual dataset: SQL on the marts, so labels come out in Vietnamese."""

    key: str
    uuid: str
    table_name: str
    description: str
    sql: str
    columns: tuple[Column, ...]
    metrics: tuple[SavedMetric, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class Metric:
    """An ad-hoc SQL metric of a chart, with the label the chart shows."""

    sql: str
    label: str


@dataclass(frozen=True)
class Where:
    """A WHERE condition of a chart (``op`` as Superset's simple filters spell it)."""

    column: str
    value: Any = None
    op: str = "=="


@dataclass(frozen=True)
class Chart:
    """One chart: its viz type picks the renderer, ``params`` are that renderer's inputs."""

    key: str
    uuid: str
    name: str
    dataset: Dataset
    viz: str
    params: Mapping[str, Any] = field(default_factory=dict)
    where: tuple[Where, ...] = ()
    description: str | None = None
    height: int | None = None


@dataclass(frozen=True)
class Markdown:
    """Text on a dashboard (a heading, a link to the tables)."""

    key: str
    text: str
    height: int = 12


@dataclass(frozen=True)
class Filter:
    """A native select filter. ``first`` picks the first value (newest unless ``ascending``)
    and requires one; ``applies_to`` (else all charts but ``excluded``) is its scope; ``only``
    restricts the values offered; ``sort_metric`` orders Vietnamese labels by their codes."""

    key: str
    name: str
    dataset: Dataset
    column: str
    first: bool = False
    excluded: tuple[Chart, ...] = ()
    applies_to: tuple[Chart, ...] = ()
    ascending: bool | None = None
    only: tuple[Where, ...] = ()
    sort_metric: str | None = None


Row = tuple[Chart | Markdown, ...]


@dataclass(frozen=True)
class Dashboard:
    """A dashboard: rows of charts (each row shares the 12-column width) and its filters."""

    key: str
    uuid: str
    title: str
    rows: tuple[Row, ...]
    filters: tuple[Filter, ...] = ()

    @property
    def slug(self) -> str:
        return self.key.replace("_", "-")

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(item for row in self.rows for item in row if isinstance(item, Chart))
