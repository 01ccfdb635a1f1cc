"""Compile the project's Vietnamese catalogues and install them where Superset and FAB read them.

Run with the Superset venv's python (it needs ``babel``, which Superset depends on):

    .venv-superset/bin/python superset/translations/install.py [--check]

Why here and not in the config: Superset serves the front end's catalogue from
``/language_pack/vi/``, which reads ``translations/vi/LC_MESSAGES/messages.json`` inside the
installed ``superset`` package (not configurable), and Flask-Babel reads the back end's ``.mo``
beside it; Flask-AppBuilder's login and user pages read ``flask_appbuilder/translations``.
Sources (``.po``) stay in the project; the compiled files are build output.

* ``vi/LC_MESSAGES/messages.po`` -> ``superset/translations/vi/LC_MESSAGES/messages.{mo,json}``
* ``flask_appbuilder/vi/LC_MESSAGES/messages.po`` -> ``flask_appbuilder/translations/vi/LC_MESSAGES/messages.mo``
* ``bundle_patch/vi.json`` -> Superset's built front end (``superset/static/assets``): the date
  picker's calendar, dayjs's dates, AG Grid's overlays, Ant Design's app-wide locale (a
  select's empty list), the lists' row count and Explore's row limits, which no catalogue
  reaches (``bundle_patch/README.md``)

``--check`` compiles into a temporary folder only (a syntax check of the ``.po`` files) and
checks that the bundle patch still finds its anchors in the installed Superset, writing nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import sys
import tempfile
import unicodedata
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

if __package__:
    from . import bundle_patch
else:  # run as a script (make install, the Superset image): the package beside this file
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bundle_patch

HERE = Path(__file__).resolve().parent
LOCALE = "vi"
SUPERSET_PO = HERE / LOCALE / "LC_MESSAGES" / "messages.po"
FAB_PO = HERE / "flask_appbuilder" / LOCALE / "LC_MESSAGES" / "messages.po"
PLURAL_FORMS = "nplurals=1; plural=0;"


def read_catalogue(path: Path) -> Catalog:
    """Read a .po strictly: a Vietnamese msgstr that is not NFC is refused (it would not match)."""
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=LOCALE, abort_invalid=True)
    for message in catalog:
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for text in strings:
            if text and unicodedata.normalize("NFC", text) != text:
                raise ValueError(f"{path.name}: msgstr of {message.id!r} is not NFC")
    return catalog


def translated(catalog: Catalog) -> list:
    """Messages with a translation that is not fuzzy: the only ones worth shipping."""
    out = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if all(strings):
            out.append(message)
    return out


def to_mo(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def to_json(catalog: Catalog, domain: str = "superset") -> dict:
    """The shape Superset's po2json writes: {msgid: [msgstr, ...]} under locale_data[domain].

    Untranslated messages are left out so the front end falls back to the English msgid.
    """
    data: dict = {"": {"domain": domain, "plural_forms": PLURAL_FORMS, "lang": LOCALE}}
    for message in translated(catalog):
        key = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        data[key] = list(strings)
    return {"domain": domain, "locale_data": {domain: data}}


def package_dir(name: str) -> Path:
    """Folder of an installed package, found without importing it (Superset's import is slow)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed in {sys.executable}")
    return Path(next(iter(spec.submodule_search_locations)))


def write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(content)
    tmp.replace(path)


def build(superset_dir: Path, fab_dir: Path) -> dict[str, int]:
    """Compile both catalogues into the two translation folders; returns messages per file."""
    superset_cat = read_catalogue(SUPERSET_PO)
    fab_cat = read_catalogue(FAB_PO)
    target = superset_dir / LOCALE / "LC_MESSAGES"
    write(target / "messages.mo", to_mo(superset_cat))
    pack = json.dumps(to_json(superset_cat), ensure_ascii=False, sort_keys=True, indent=1)
    write(target / "messages.json", pack.encode("utf-8"))
    write(fab_dir / LOCALE / "LC_MESSAGES" / "messages.mo", to_mo(fab_cat))
    return {
        "superset": len(translated(superset_cat)),
        "flask_appbuilder": len(translated(fab_cat)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compile into a temporary folder only")
    args = parser.parse_args(argv)
    assets = package_dir("superset") / "static" / "assets"
    try:
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                counts = build(Path(tmp) / "superset", Path(tmp) / "fab")
            pending = bundle_patch.apply(assets, dry_run=True)
            state = f"to apply: {', '.join(pending)}" if pending else "applied"
            print(f"bundle patch: anchors found in {assets}; {state}")
        else:
            superset_dir = package_dir("superset") / "translations"
            fab_dir = package_dir("flask_appbuilder") / "translations"
            counts = build(superset_dir, fab_dir)
            print(f"installed vi into {superset_dir} and {fab_dir}")
            changed = bundle_patch.apply(assets)
            print(f"bundle patch: {', '.join(changed) if changed else 'already applied'} in {assets}")
    except bundle_patch.BundleChanged as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    print(f"translated messages: superset {counts['superset']}, flask_appbuilder {counts['flask_appbuilder']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
