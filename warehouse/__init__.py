"""Start, stop and bootstrap the PostgreSQL warehouse."""
