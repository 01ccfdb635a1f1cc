"""Phòng Nội vụ's emulation records (clusters, registrations, proposals, decisions).

They arrive in the inbox folder ``noivu`` and go through their own reader, Great
Expectations suites and load (``readers``, ``ingest.validation.emulation_suites``, ``load``),
into the ``raw.emulation_*`` tables, with the same lineage, quarantine and Vietnamese
reports as the offices' figures.
"""

FOLDER = "noivu"
