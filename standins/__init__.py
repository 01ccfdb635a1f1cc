"""Small stand-ins for the offices' own systems, for the demo and the tests.

An HTTP JSON server (the social-insurance office's coverage API, paged with a bearer
token; the culture office's tourism API, cursor-paged with basic auth) and a treasury
PostgreSQL database. They serve deterministic figures for 2021 and 2022 and can be told
to misbehave the ways real systems do.

May import: ``core`` and ``sampledata``. Imported by ``runtime`` and the tests.
"""
