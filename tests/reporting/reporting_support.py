"""Constants and helpers shared by the reporting tests (a module, not conftest, so imports are unambiguous)."""

from __future__ import annotations

import socket
from zoneinfo import ZoneInfo

# A plan year no other test loads figures for, so that the session's shared warehouse
# cannot change what these tests see.
TEST_PLAN_YEAR = 2031
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
