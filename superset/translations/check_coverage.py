"""Which strings of the installed Superset the project's Vietnamese catalogue lacks.

After a Superset upgrade its ``messages.pot`` gains and loses strings; this lists them so a
new version's new strings are seen (and translated) instead of showing up in English:

    .venv/bin/python superset/translations/check_coverage.py [--pot PATH] [--list]

It reports the counts (strings in the installed Superset, translated, untranslated, strings in
the .po that Superset no longer has) and exits 1 when a reader-page string
(``reader_strings.txt``) is untranslated or missing from the .po.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PO = HERE / "vi" / "LC_MESSAGES" / "messages.po"
FAB_PO = HERE / "flask_appbuilder" / "vi" / "LC_MESSAGES" / "messages.po"
READER_STRINGS = HERE / "reader_strings.txt"


def installed_pot() -> Path:
    """messages.pot of the Superset in the project's Superset venv (or of the running python)."""
    found = sorted((REPO / ".venv-superset").glob("lib/python*/site-packages/superset/translations/messages.pot"))
    if found:
        return found[-1]
    import importlib.util

    spec = importlib.util.find_spec("superset")
    if spec and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "translations" / "messages.pot"
    raise FileNotFoundError("no installed Superset: run make install")


def _key(msgid: str | tuple) -> str:
    return msgid[0] if isinstance(msgid, (list, tuple)) else msgid


def pot_msgids(pot: Path | None = None) -> set[str]:
    """Every (singular) msgid Superset can show."""
    with (pot or installed_pot()).open("rb") as fh:
        return {_key(m.id) for m in read_po(fh) if m.id}


def translations(po: Path = PO) -> dict[str, str]:
    """msgid -> Vietnamese (first form), for translated, non-fuzzy messages only."""
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="vi")
    out: dict[str, str] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if all(strings):
            out[_key(message.id)] = strings[0]
    return out


def reader_strings(path: Path = READER_STRINGS) -> list[str]:
    """The strings reader pages show (one per line, ``\\n`` for a line break; # comments)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.replace("\\n", "\n"))
    return out


@dataclass
class Coverage:
    installed: int
    translated: int
    untranslated: list[str]
    obsolete: list[str]
    reader_missing: list[str]


def coverage(pot: Path | None = None, po: Path = PO) -> Coverage:
    ids = pot_msgids(pot)
    done = translations(po)
    return Coverage(
        installed=len(ids),
        translated=len(ids & done.keys()),
        untranslated=sorted(ids - done.keys()),
        obsolete=sorted(done.keys() - ids),
        reader_missing=[s for s in reader_strings() if s not in done],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pot", type=Path, help="messages.pot to compare with (default: the installed one)")
    parser.add_argument("--list", action="store_true", help="print every untranslated msgid")
    args = parser.parse_args(argv)
    cov = coverage(args.pot)
    print(f"Superset strings installed: {cov.installed}")
    print(f"translated in the project's .po: {cov.translated} ({100 * cov.translated / cov.installed:.1f} %)")
    print(f"untranslated (shown in English if met): {len(cov.untranslated)}")
    print(f"in the .po but gone from this Superset: {len(cov.obsolete)}")
    print(f"reader-page strings untranslated: {len(cov.reader_missing)}")
    if args.list:
        for msgid in cov.untranslated:
            print(f"  {msgid!r}")
    for msgid in cov.reader_missing:
        print(f"  reader string untranslated: {msgid!r}")
    return 1 if cov.reader_missing else 0


if __name__ == "__main__":
    sys.exit(main())
