"""Command line: ``python -m standins serve --port P`` | ``treasury-setup`` | ``env --port P``."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys


def _print_env(values: dict[str, str]) -> None:
    for key, value in values.items():
        print(f"export {key}={shlex.quote(value)}")


def _interrupt(*_: object) -> None:
    """SIGTERM ends ``serve_forever`` the way Ctrl-C does (shutdown() from its own thread would hang)."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="standins", description="Stand-in office systems (demo, tests)")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the BHXH and tourism JSON APIs on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    sub.add_parser("treasury-setup", help="create the treasury database and its read-only role")
    env = sub.add_parser("env", help="print the AIRFLOW_CONN_* lines for the stand-ins")
    env.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)

    if args.command == "serve":
        from standins.http_server import StandinServer, connection_env

        server = StandinServer(args.port)
        signal.signal(signal.SIGTERM, _interrupt)
        print(f"stand-in systems on {server.base_url} (Ctrl-C to stop)", file=sys.stderr)
        _print_env(connection_env(server.port))
        sys.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
        return 0
    if args.command == "treasury-setup":
        from standins import treasury

        _print_env({"AIRFLOW_CONN_TREASURY_DB": treasury.setup()})
        return 0
    from standins import treasury
    from standins.http_server import connection_env

    _print_env({**connection_env(args.port), "AIRFLOW_CONN_TREASURY_DB": treasury.connection_json()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
