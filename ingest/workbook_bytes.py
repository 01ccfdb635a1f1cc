"""Workbooks saved to the same bytes every time, so generated templates can be compared and committed.

Shared by the offices' templates and Phòng Nội vụ's emulation template (and the sample data).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from openpyxl import Workbook

# The date written into every generated workbook instead of the save time.
STAMP = datetime(2022, 1, 1, 0, 0, 0)

_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def stable_bytes(wb: Workbook, stamp: datetime = STAMP) -> bytes:
    """Serialise a workbook so that the same content always gives the same bytes.

    openpyxl stamps the save time into docProps/core.xml and the zip entries; both are
    replaced by ``stamp``.
    """
    wb.properties.created = stamp
    raw = io.BytesIO()
    wb.save(raw)
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _CORE_TIMES.sub(lambda m: m.group(1) + when + m.group(3), payload)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, payload)
    return out.getvalue()
