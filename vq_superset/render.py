"""Specs → Superset's asset YAML documents: one small renderer per viz type.

Each chart renderer returns the form data (what Explore edits) and the one query of the saved
query context (what the data API runs); ``chart_yaml`` wraps them with Superset's keys.
Dataset ids in a chart are placeholders (0): the importer rewrites them from the dataset UUID.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from core import vocabulary as vocab
from vq_superset.model import Chart, Column, Dashboard, Dataset, Filter, Markdown, Metric, Where, nfc

VERSION = "1.0.0"
DATABASE_NAME = "Kho dữ liệu Văn Quan"
DATABASE_UUID = "590308f0-40e3-50e1-925a-eee1365fb7e2"
DB_URL_PLACEHOLDER = "__WAREHOUSE_READER_URL__"
PLACEHOLDER_ID = 0
NUMBER_FORMAT = ",.2~f"  # with the Vietnamese D3 locale: 17.600 and 8,5
MONTH_FORMAT = "%B/%Y"  # with the Vietnamese month names of D3_TIME_FORMAT: Tháng 5/2022
METRIC_NAMESPACE = uuid.UUID("6f1d3c52-2b8e-4a59-9f0e-7a1b2c3d4e5f")
COUNT_FORMATS = {"NUMERIC": NUMBER_FORMAT, "INTEGER": ",d", "BIGINT": "d"}
ROW_LIMIT = 1000  # a spec's params may state another ("row_limit")
HEATMAP_COLOURS = "schemeRdYlGn"  # a heat map's params may state another scheme ("colour_scheme")

# ---------------------------------------------------------------- small pieces
_OPERATORS = {"==": "EQUALS", "IS NOT NULL": "IS_NOT_NULL", "!=": "NOT_EQUALS"}


def adhoc_metric(m: Metric) -> dict[str, Any]:
    label = nfc(m.label)
    return {
        "expressionType": "SQL",
        "sqlExpression": m.sql,
        "label": label,
        "hasCustomLabel": True,
        "optionName": "metric_" + uuid.uuid5(METRIC_NAMESPACE, f"{m.sql}/{label}").hex[:12],
    }


def adhoc_filter(w: Where) -> dict[str, Any]:
    return {
        "clause": "WHERE",
        "expressionType": "SIMPLE",
        "subject": w.column,
        "operator": w.op,
        "operatorId": _OPERATORS[w.op],
        "comparator": w.value,
        "isExtra": False,
        "isNew": False,
    }


def query_filter(w: Where) -> dict[str, Any]:
    return {"col": w.column, "op": w.op, "val": w.value}


def status_colour_rules(column: str) -> list[dict[str, Any]]:
    """Table cells of a status column painted with the shared vocabulary's colours."""
    colours = vocab.colours(vocab.ATTAINMENT_STATUS)
    return [
        {"column": column, "operator": "=", "targetValue": label, "colorScheme": colours[code], "useGradient": False}
        for code, label in vocab.labels_vi(vocab.ATTAINMENT_STATUS).items()
    ]


def status_label_colours(dash: Dashboard | None = None) -> dict[str, str]:
    """Series named after a status (bars, legends) in the vocabulary's colour: a target's status,
    and a report's (Đúng hạn, Trễ hạn...) on a dashboard whose series are reports' statuses."""
    domains = [vocab.ATTAINMENT_STATUS]
    if dash and any("compliance_status_vi" in c.params.get("groupby", ()) for c in dash.charts):
        domains.append(vocab.COMPLIANCE_STATUS)
    found: dict[str, str] = {}
    for domain in domains:
        colours = vocab.colours(domain)
        found.update({label: colours[code] for code, label in vocab.labels_vi(domain).items() if code in colours})
    return found


def number_formats(dataset: Dataset, columns: list[str]) -> dict[str, dict[str, str]]:
    """Vietnamese separators for numeric columns (the table's default ignores the locale)."""
    types = {c.name: c.type for c in dataset.columns}
    return {c: {"d3NumberFormat": COUNT_FORMATS[types[c]]} for c in columns if types[c] in COUNT_FORMATS}


def base_axis(column: str, grain: str | None = None) -> dict[str, Any]:
    axis: dict[str, Any] = {"columnType": "BASE_AXIS", "expressionType": "SQL", "label": column}
    axis["sqlExpression"] = column
    if grain:
        axis["timeGrain"] = grain
    return axis


def _colour_scheme(params: Any) -> dict[str, str]:
    """A chart's own categorical scheme when its spec states one (else the dashboard's applies)."""
    return {"color_scheme": params["colour_scheme"]} if "colour_scheme" in params else {}


# ---------------------------------------------------------------- one renderer per viz type
Rendered = tuple[dict[str, Any], dict[str, Any]]


def table(chart: Chart) -> Rendered:
    p = chart.params
    columns = list(p["columns"])
    order = [list(o) for o in p.get("order", ())]
    form = {
        "query_mode": "raw",
        "all_columns": columns,
        "order_by_cols": [json.dumps(o) for o in order],
        "server_pagination": False,
        "include_search": p.get("search", True),
        # tiles are HTML cells (inline styles survive Superset's sanitiser)
        "allow_render_html": True,
        "show_cell_bars": False,
        "color_pn": False,
        "table_timestamp_format": "%d/%m/%Y",
        "conditional_formatting": status_colour_rules(p["status_column"]) if p.get("status_column") else [],
        "column_config": number_formats(chart.dataset, columns),
    }
    return form, {"columns": columns, "metrics": None, "orderby": order}


def pivot_table_v2(chart: Chart) -> Rendered:
    p = chart.params
    metrics = [adhoc_metric(m) for m in p["metrics"]]
    form = {
        "groupbyRows": list(p["rows"]),
        "groupbyColumns": list(p["columns"]),
        "metrics": metrics,
        "aggregateFunction": "Sum",
        "valueFormat": ",d" if p["metrics"][0].sql == "COUNT(*)" else NUMBER_FORMAT,
        "metricsLayout": "COLUMNS",
        "rowOrder": "key_a_to_z",
        "colOrder": "key_a_to_z",
        "rowTotals": True,
        "colTotals": True,
        "transposePivot": False,
        "combineMetric": False,
    }
    return form, {"columns": [*p["rows"], *p["columns"]], "metrics": metrics, "orderby": [[metrics[0], False]]}


def echarts_timeseries_line(chart: Chart) -> Rendered:
    """Months on the x axis (a date column, monthly grain, Vietnamese month names)."""
    p = chart.params
    metrics = [adhoc_metric(m) for m in p["metrics"]]
    form = {
        "x_axis": p["x_axis"],
        "time_grain_sqla": "P1M",
        "x_axis_time_format": MONTH_FORMAT,
        "tooltipTimeFormat": MONTH_FORMAT,
        "x_axis_sort_asc": True,
        "metrics": metrics,
        "groupby": [],
        "y_axis_format": NUMBER_FORMAT,
        "show_legend": True,
        "markerEnabled": True,
        "rich_tooltip": True,
        "truncate_metric": True,
        **_colour_scheme(p),
    }
    return form, {"columns": [base_axis(p["x_axis"], "P1M")], "metrics": metrics, "orderby": []}


def echarts_timeseries_bar(chart: Chart) -> Rendered:
    """Bars over a category (ranked by the first metric) or stacked by a series column."""
    p = chart.params
    metrics = [adhoc_metric(m) for m in p["metrics"]]
    groupby = list(p.get("groupby", ()))
    form = {
        "x_axis": p["x_axis"],
        "metrics": metrics,
        "groupby": groupby,
        "orientation": "horizontal" if p.get("horizontal") else "vertical",
        "stack": "Stack" if p.get("stacked") else None,
        "x_axis_sort": metrics[0]["label"] if p.get("ranked") else None,
        "x_axis_sort_asc": bool(p.get("ascending", False)),
        "y_axis_format": NUMBER_FORMAT,
        "show_legend": bool(groupby),
        "show_value": True,
        "rich_tooltip": True,
        "truncateXAxis": True,
        "y_axis_bounds": [None, None],
        "only_total": True,
        **_colour_scheme(p),
    }
    orderby = [[metrics[0], bool(p.get("ascending", False))]] if p.get("ranked") else []
    return form, {"columns": [base_axis(p["x_axis"]), *groupby], "metrics": metrics, "orderby": orderby}


def heatmap_v2(chart: Chart) -> Rendered:
    """A value per (month, row label), coloured on a red-to-green scale."""
    p = chart.params
    metric = adhoc_metric(p["metric"])
    form = {
        "x_axis": p["x_axis"],
        "time_grain_sqla": "P1M",
        "groupby": p["y_axis"],
        "metric": metric,
        "sort_x_axis": "alpha_asc",
        "sort_y_axis": "alpha_asc",
        "linear_color_scheme": p.get("colour_scheme", HEATMAP_COLOURS),
        "normalize_across": "heatmap",
        "legend_type": "continuous",
        "show_legend": True,
        "show_values": True,
        "show_percentage": False,
        "x_axis_time_format": MONTH_FORMAT,
        "y_axis_format": NUMBER_FORMAT,
        "value_bounds": [0, 100],
        "xscale_interval": -1,
        "yscale_interval": -1,
        "left_margin": "auto",
        "bottom_margin": "auto",
    }
    return form, {
        "columns": [base_axis(p["x_axis"], "P1M"), p["y_axis"]],
        "metrics": [metric],
        "orderby": [[metric, False]],
    }


RENDERERS: dict[str, Callable[[Chart], Rendered]] = {
    "table": table,
    "pivot_table_v2": pivot_table_v2,
    "echarts_timeseries_line": echarts_timeseries_line,
    "echarts_timeseries_bar": echarts_timeseries_bar,
    "heatmap_v2": heatmap_v2,
}


# ---------------------------------------------------------------- documents
def chart_yaml(chart: Chart) -> dict[str, Any]:
    form, query = RENDERERS[chart.viz](chart)
    row_limit = chart.params.get("row_limit", ROW_LIMIT)
    form = {
        "datasource": f"{PLACEHOLDER_ID}__table",
        "viz_type": chart.viz,
        **form,
        "adhoc_filters": [adhoc_filter(w) for w in chart.where],
        "row_limit": row_limit,
        "annotation_layers": [],
        "slice_id": None,
    }
    query = {
        **query,
        "filters": [query_filter(w) for w in chart.where],
        "extras": {"having": "", "where": ""},
        "applied_time_extras": {},
        "row_limit": row_limit,
        "series_limit": 0,
        "order_desc": True,
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
        "annotation_layers": [],
    }
    context = {
        "datasource": {"id": PLACEHOLDER_ID, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": form,
        "result_format": "json",
        "result_type": "full",
    }
    return {
        "slice_name": nfc(chart.name),
        "description": nfc(chart.description) if chart.description else None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": chart.viz,
        "params": form,
        "query_context": json.dumps(context, ensure_ascii=False),
        "cache_timeout": None,
        "uuid": chart.uuid,
        "version": VERSION,
        "dataset_uuid": chart.dataset.uuid,
    }


def _column_yaml(c: Column) -> dict[str, Any]:
    return {
        "column_name": c.name,
        "verbose_name": nfc(c.label),
        "is_dttm": c.is_dttm,
        "is_active": True,
        "type": c.type,
        "advanced_data_type": None,
        "groupby": True,
        "filterable": True,
        "expression": None,
        "description": None,
        "python_date_format": None,
        "datetime_format": None,
        "extra": {},
    }


def dataset_yaml(d: Dataset) -> dict[str, Any]:
    metrics = [("count", "COUNT(*)", "Số lượng", "count")]
    metrics += [(m.name, m.expression, m.label, None) for m in d.metrics]
    return {
        "table_name": d.table_name,
        "main_dttm_col": next((c.name for c in d.columns if c.is_dttm), None),
        "currency_code_column": None,
        "description": nfc(d.description),
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "catalog": None,
        "schema": "marts",
        "sql": d.sql,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "folders": None,
        "uuid": d.uuid,
        "metrics": [
            {
                "metric_name": name,
                "verbose_name": nfc(label),
                "metric_type": kind,
                "expression": expression,
                "description": None,
                "d3format": None,
                "currency": None,
                "extra": {},
                "warning_text": None,
            }
            for name, expression, label, kind in metrics
        ],
        "columns": [_column_yaml(c) for c in d.columns],
        "version": VERSION,
        "database_uuid": DATABASE_UUID,
    }


def database_yaml() -> dict[str, Any]:
    return {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": DB_URL_PLACEHOLDER,
        "cache_timeout": None,
        "expose_in_sqllab": False,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_csv_upload": False,
        "extra": {"allows_virtual_table_explore": True, "schemas_allowed_for_csv_upload": []},
        "impersonate_user": False,
        "configuration_method": "sqlalchemy_form",
        "uuid": DATABASE_UUID,
        "version": VERSION,
    }


def _excluded(dash: Dashboard, f: Filter) -> tuple[Chart, ...]:
    """The charts a filter leaves alone: those excluded, or all but those it applies to."""
    if f.applies_to:
        return tuple(c for c in dash.charts if c not in f.applies_to)
    return f.excluded


def native_filter(dash: Dashboard, f: Filter, chart_ids: dict[str, int]) -> dict[str, Any]:
    config: dict[str, Any] = {
        "id": f"NATIVE_FILTER-{dash.key}-{f.key}",
        "name": nfc(f.name),
        "filterType": "filter_select",
        "targets": [{"column": {"name": f.column}, "datasetUuid": f.dataset.uuid}],
        "controlValues": {
            "enableEmptyFilter": f.first,
            "defaultToFirstItem": f.first,
            "multiSelect": not f.first,
            "searchAllOptions": False,
            "inverseSelection": False,
            "sortAscending": (not f.first) if f.ascending is None else f.ascending,
        },
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": [chart_ids[c.uuid] for c in _excluded(dash, f)]},
        "type": "NATIVE_FILTER",
        # With defaultToFirstItem the dashboard must wait for the filter before the charts.
        "requiredFirst": f.first,
        "description": "",
    }
    if f.only:
        config["adhoc_filters"] = [adhoc_filter(w) for w in f.only]
    if f.sort_metric:
        config["sortMetric"] = f.sort_metric
    return config


def _height(item: Chart | Markdown) -> int:
    if isinstance(item, Markdown):
        return item.height
    return item.height or (80 if item.viz == "table" else 60)


def dashboard_yaml(dash: Dashboard, chart_ids: dict[str, int]) -> dict[str, Any]:
    """``chart_ids`` are the bundle's local chart ids (the importer maps them to real ones)."""
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": nfc(dash.title)}},
    }
    for n, row in enumerate(dash.rows, start=1):
        row_id = f"ROW-{dash.key}-{n}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for item in row:
            parents = ["ROOT_ID", "GRID_ID", row_id]
            meta: dict[str, Any] = {"width": 12 // len(row), "height": _height(item)}
            if isinstance(item, Markdown):
                node_id, node_type = f"MARKDOWN-{item.key}", "MARKDOWN"
                meta["code"] = nfc(item.text)
            else:
                node_id, node_type = f"CHART-{item.key}", "CHART"
                meta.update(chartId=chart_ids[item.uuid], sliceName=nfc(item.name), uuid=item.uuid)
            position[row_id]["children"].append(node_id)
            position[node_id] = {"type": node_type, "id": node_id, "children": [], "parents": parents, "meta": meta}
    return {
        "dashboard_title": nfc(dash.title),
        "description": None,
        "css": "",
        "slug": dash.slug,
        "certified_by": None,
        "certification_details": None,
        "published": True,
        "uuid": dash.uuid,
        "position": position,
        "metadata": {
            "color_scheme": "supersetColors",
            "refresh_frequency": 0,
            "expanded_slices": {},
            "label_colors": status_label_colours(dash),
            "timed_refresh_immune_slices": [],
            "cross_filters_enabled": False,
            "chart_configuration": {},
            "global_chart_configuration": {
                "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
                "chartsInScope": [],
            },
            "native_filter_configuration": [native_filter(dash, f, chart_ids) for f in dash.filters],
        },
        "version": VERSION,
        "theme_uuid": None,
    }
