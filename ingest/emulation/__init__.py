"""Phòng Nội vụ's emulation records (clusters, registrations, proposals, decisions).

They arrive in the inbox folder ``noivu`` and have their own reader and Great Expectations
suites (``readers``, ``ingest.validation.emulation_suites``); ``load`` plugs them into the
one load path of ``ingest.pipeline`` (the same transaction, lineage, quarantine and
Vietnamese reports as the offices' figures), writing the ``raw.emulation_*`` tables.
"""

FOLDER = "noivu"
