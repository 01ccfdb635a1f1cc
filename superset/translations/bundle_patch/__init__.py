"""Teach Superset 6.1's built front end the Vietnamese that no catalogue can reach.

Superset's front end picks Ant Design's and dayjs's locale from a fixed list without ``vi``
and ships neither in Vietnamese, and AG Grid's overlays ("No Matching Rows") are not in its
catalogue. Without a front-end build (none is possible here), the only place to fix that is
the built bundle under ``superset/static/assets``. This module rewrites two entry chunks:

* ``616.*.entry.js``: dayjs gets our ``vi`` locale (dates such as "Last queried at", ages),
  ``useLocale`` maps ``vi`` to our Ant Design locale (the date picker's calendar), and the
  page's ``<html lang>`` is set to the interface language once its language pack is loaded;
* ``8706.*.entry.js``: AG Grid's default text and its locale service fall back to our texts
  when ``lang`` is vi.

Every edit replaces an exact anchor that must occur once; a Superset upgrade that changes the
bundle makes :func:`apply` fail with :class:`BundleChanged` instead of patching blindly.
Patched chunks get a new content hash in their file name and ``manifest.json`` points to them:
Superset serves ``/static/assets`` with a one-year cache, so a browser that cached the
original chunk fetches the new name rather than keeping the English one. The originals stay
(a page rendered before a restart still loads them). Re-running is a no-op.

The data (``vi.json``) is ours; see README.md for why it exists and when to drop it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "vi.json"
SUPERSET_VERSION = "6.1.0"  # the bundle the anchors were taken from
MARKER = "/*! vq-bundle-patch vi"
HEADER = MARKER + ": patched from {original} by superset/translations/bundle_patch */\n"
HASH_LENGTH = 20


class BundleChanged(RuntimeError):
    """The installed bundle is not the one the patch was written for."""


@dataclass(frozen=True)
class Edit:
    """One exact replacement: ``anchor`` must occur once in the original chunk."""

    name: str
    anchor: str
    replacement: str


@dataclass(frozen=True)
class Chunk:
    """An entry chunk, found in manifest.json by its webpack id, and its edits."""

    chunk_id: str
    edits: tuple[Edit, ...]

    @property
    def name_re(self) -> re.Pattern[str]:
        return re.compile(rf"/static/assets/({re.escape(self.chunk_id)}\.[0-9a-f]{{{HASH_LENGTH}}}\.entry\.js)\"")


def js(value: object) -> str:
    """A JSON value as a JavaScript literal (UTF-8 kept: the chunks are served as UTF-8)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load_data() -> dict:
    return json.loads(DATA.read_text("utf-8"))


def dayjs_locale(data: dict) -> str:
    """dayjs's locale object; ``ordinal`` and ``meridiem`` are functions, the rest is data."""
    locale = {k: v for k, v in data["dayjs"].items() if k != "meridiem"}
    morning, afternoon = data["dayjs"]["meridiem"]
    body = js(locale)[:-1]
    return f'{body},ordinal:e=>""+e,meridiem:e=>e<12?{js(morning)}:{js(afternoon)}}}'


def chunks(data: dict | None = None) -> tuple[Chunk, ...]:
    """The edits, with the anchors as the 6.1.0 bundle has them."""
    data = data or load_data()
    use_locale_end = "nl:()=>Promise.all([r.e(8096),r.e(9488)]).then(r.bind(r,9488))},s=()=>{"
    dayjs_setup = 'i().updateLocale("en",{invalidDate:"Invalid date"});let T=i()'
    pack_loaded = "(0,a.jK)({languagePack:i}),s.XV.locale(x)}"
    grid_lookup = '(e=t.get("localeText"),(t,i,r)=>{let n=e?.[t];'
    grid_default = "function eq(e,t){return t}function eK(e){return e?.getLocaleTextFunc()??eq}"
    grid_texts = js(data["ag_grid"])
    return (
        Chunk(
            "616",
            (
                Edit(
                    "dayjs vi locale",
                    dayjs_setup,
                    dayjs_setup.replace(";let T=", f";i().locale({dayjs_locale(data)},null,!0);let T="),
                ),
                Edit(
                    "useLocale vi entry",
                    use_locale_end,
                    use_locale_end.replace(
                        "},s=()=>{", f",vi:()=>Promise.resolve({{default:{js(data['antd'])}}})}},s=()=>{{"
                    ),
                ),
                Edit(
                    "html lang after the language pack",
                    pack_loaded,
                    pack_loaded.replace(",s.XV.locale(x)}", ",document.documentElement.lang=x,s.XV.locale(x)}"),
                ),
            ),
        ),
        Chunk(
            "8706",
            (
                # a grid without AG Grid's Locale module (Superset's data grid) gets the default text
                Edit(
                    "AG Grid default text",
                    grid_default,
                    grid_default.replace(
                        "{return t}",
                        f'{{return("vi"===document.documentElement.lang?{grid_texts}[e]:void 0)??t}}',
                    ),
                ),
                # a grid with it (the table chart) gets its localeText first, then ours
                Edit(
                    "AG Grid locale text fallback",
                    grid_lookup,
                    grid_lookup.replace(
                        "let n=e?.[t];",
                        f'let n=e?.[t]??("vi"===document.documentElement.lang?{grid_texts}[t]:void 0);',
                    ),
                ),
            ),
        ),
    )


def bundle_changed(message: str) -> BundleChanged:
    return BundleChanged(
        f"{message}\nThe Vietnamese bundle patch (superset/translations/bundle_patch) was written for the "
        f"front end of Superset {SUPERSET_VERSION}. After a Superset upgrade: if the new Superset ships a 'vi' "
        "locale for Ant Design and dayjs, drop the patch; otherwise find the same places in the new bundle "
        "and update the anchors in bundle_patch/__init__.py (see bundle_patch/README.md)."
    )


def patch_text(chunk: Chunk, original_name: str, text: str) -> str:
    """The patched chunk; every anchor must be found exactly once in the original."""
    if chunk.chunk_id == "616" and re.search(r"[,{]vi:\(\)=>", text):
        raise bundle_changed(f"{original_name} already maps 'vi' in useLocale: Superset has its own locale now.")
    for edit in chunk.edits:
        count = text.count(edit.anchor)
        if count != 1:
            raise bundle_changed(
                f"{original_name}: the anchor for '{edit.name}' occurs {count} times (expected once): {edit.anchor!r}"
            )
        text = text.replace(edit.anchor, edit.replacement)
    return HEADER.format(original=original_name) + text


def original_of(name: str, text: str) -> str:
    """The chunk a patched chunk was made from (named in its first line); itself if unpatched."""
    if not text.startswith(MARKER):
        return name
    found = re.match(re.escape(MARKER) + r": patched from (\S+) ", text)
    if not found:
        raise bundle_changed(f"{name} carries the patch marker but does not name its original")
    return found.group(1)


def hashed_name(chunk: Chunk, content: bytes) -> str:
    return f"{chunk.chunk_id}.{hashlib.sha256(content).hexdigest()[:HASH_LENGTH]}.entry.js"


def write(path: Path, content: bytes) -> None:
    """Write a new inode: the venv's files are hard links into uv's cache, never edit them in place."""
    tmp = path.with_name(path.name + ".vq-tmp")
    tmp.write_bytes(content)
    tmp.replace(path)


def compressed_copies(assets: Path, original: str, new: str, content: bytes, dry_run: bool) -> list[str]:
    """Keep precompressed siblings consistent: where the original has one, the patched chunk gets one."""
    written = []
    for suffix in (".gz", ".br"):
        if not (assets / (original + suffix)).exists():
            continue
        target = assets / (new + suffix)
        if suffix == ".gz":
            if target.exists() and gzip.decompress(target.read_bytes()) == content:
                continue
            packed = gzip.compress(content, compresslevel=9, mtime=0)
        else:
            import brotli  # Flask-Compress's dependency, present in Superset's venv

            if target.exists() and brotli.decompress(target.read_bytes()) == content:
                continue
            packed = brotli.compress(content)
        if not dry_run:
            write(target, packed)
        written.append(target.name)
    return written


def apply(assets: Path, dry_run: bool = False) -> list[str]:
    """Patch the bundle in ``assets`` (Superset's static/assets); returns what changed (empty: up to date).

    ``dry_run`` checks the anchors and reports what would change without writing anything.
    """
    manifest_path = assets / "manifest.json"
    if not manifest_path.exists():
        raise bundle_changed(f"{manifest_path} is missing: no built front end to patch")
    manifest = manifest_path.read_text("utf-8")
    changes: list[str] = []
    for chunk in chunks():
        names = set(chunk.name_re.findall(manifest))
        if len(names) != 1:
            found = f"{len(names)} entry chunks with id {chunk.chunk_id}: {sorted(names)}"
            raise bundle_changed(f"manifest.json names {found}")
        current = names.pop()
        current_text = (assets / current).read_text("utf-8")
        original = original_of(current, current_text)
        if not (assets / original).exists():
            raise bundle_changed(f"{current} was patched from {original}, which is gone: reinstall Superset's package")
        original_text = current_text if original == current else (assets / original).read_text("utf-8")
        content = patch_text(chunk, original, original_text).encode("utf-8")
        new = hashed_name(chunk, content)
        if new != current:
            if not dry_run:
                write(assets / new, content)
            manifest = manifest.replace(f'/static/assets/{current}"', f'/static/assets/{new}"')
            changes.append(f"{current} -> {new}")
        changes += compressed_copies(assets, original, new, content, dry_run)
    if changes and not dry_run:
        write(manifest_path, manifest.encode("utf-8"))
    return changes
