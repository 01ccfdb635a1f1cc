"""Reporting for people: reminders to offices and the leadership review pack.

Owns the reminders (who owes which figures, by when), the mailer, and the review pack (the
workbook and the PDF read at the sơ kết / tổng kết meeting), all read from the marts.

May import: ``core`` only (settings, catalog, calendar, vocabulary). Imported by the DAGs,
the benchmarks and the tests. See docs/architecture.md.
"""
