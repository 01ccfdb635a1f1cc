"""Teach Superset 6.1's built front end the Vietnamese that no catalogue can reach.

Superset's front end picks Ant Design's and dayjs's locale from a fixed list without ``vi``
and ships neither in Vietnamese, AG Grid's overlays ("No Matching Rows") are not in its
catalogue, and a few strings are written into the code in English ("1-7 of 7", "1k rows").
Without a front-end build (none is possible here), the only place to fix that is the built
bundle under ``superset/static/assets``. This module rewrites:

* ``616.*.entry.js``: dayjs gets our ``vi`` locale (dates such as "Last queried at", ages),
  ``useLocale`` maps ``vi`` to our Ant Design locale (the date picker's calendar), and the
  page's ``<html lang>`` is set to the interface language once its language pack is loaded;
* ``8706.*.entry.js``: AG Grid's default text and its locale service fall back to our texts
  when ``lang`` is vi;
* ``8115.*.entry.js``: the app-wide Ant Design ``ConfigProvider`` (Superset's theme provider)
  gets our Ant Design locale when ``lang`` is vi (a select's empty list, the pagination), and
  the lists' row count ("1-7 of 7") reads Vietnamese;
* the async chunk of Explore's data panel (webpack id 7682): its row-limit choices ("1k rows");
  its new file name is written into the webpack runtimes that load it (``spa.*.entry.js``,
  ``embedded.*.entry.js``).

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
    """An entry chunk, found in manifest.json by its webpack id (or entry name), and its edits."""

    chunk_id: str
    edits: tuple[Edit, ...]

    @property
    def name_re(self) -> re.Pattern[str]:
        return re.compile(rf"/static/assets/({re.escape(self.chunk_id)}\.[0-9a-f]{{{HASH_LENGTH}}}\.entry\.js)\"")


@dataclass(frozen=True)
class AsyncChunk:
    """A chunk webpack loads on demand, named ``<contenthash>.chunk.js`` in the runtimes' map, not in manifest.json.

    Its patched copy gets its own hash, and each runtime in ``runtimes`` (entry chunks that
    map ``chunk_id`` to its file name) is rewritten to load the new name.
    """

    chunk_id: str
    edits: tuple[Edit, ...]
    runtimes: tuple[str, ...]

    @property
    def map_re(self) -> re.Pattern[str]:
        return re.compile(rf"[,:?]{re.escape(self.chunk_id)}===e\?\"([0-9a-f]{{{HASH_LENGTH}}}\.chunk\.js)\"")

    def map_entry(self, name: str) -> str:
        return f'{self.chunk_id}===e?"{name}"'


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


VI = '"vi"===document.documentElement.lang'  # the interface language, set by the 616 edit below


def row_count(data: dict, start: str, end: str, total: str, english: str) -> str:
    """A list's "1-7 of 7" as a JavaScript expression: ours in Vietnamese, ``english`` (a template literal) else."""
    text = data["row_count"]
    if "`" in text or "${" in text or "\\" in text:
        raise ValueError(f"vi.json row_count {text!r} cannot go into a template literal")
    vietnamese = "`" + text.format(start=f"${{{start}}}", end=f"${{{end}}}", total=f"${{{total}}}") + "`"
    return f"({VI}?{vietnamese}:{english})"


def row_limits(data: dict, options: str) -> str:
    """Explore's row-limit choices (an array literal with English labels) as Vietnamese while ``lang`` is vi."""
    labels = re.findall(r'label:"([^"]*)"', options)
    missing = [label for label in labels if label not in data["row_limits"]]
    if missing or not labels:
        raise bundle_changed(f"Explore's row-limit choices {labels} have no Vietnamese in vi.json for {missing}")
    vietnamese = re.sub(r'label:"([^"]*)"', lambda m: f"label:{js(data['row_limits'][m.group(1)])}", options)
    return f"({VI}?{vietnamese}:{options})"


def chunks(data: dict | None = None) -> tuple[Chunk, ...]:
    """The entry chunks' edits, with the anchors as the 6.1.0 bundle has them (runtimes: see runtime_chunks)."""
    data = data or load_data()
    use_locale_end = "nl:()=>Promise.all([r.e(8096),r.e(9488)]).then(r.bind(r,9488))},s=()=>{"
    dayjs_setup = 'i().updateLocale("en",{invalidDate:"Invalid date"});let T=i()'
    pack_loaded = "(0,a.jK)({languagePack:i}),s.XV.locale(x)}"
    grid_lookup = '(e=t.get("localeText"),(t,i,r)=>{let n=e?.[t];'
    grid_default = "function eq(e,t){return t}function eK(e){return e?.getLocaleTextFunc()??eq}"
    grid_texts = js(data["ag_grid"])
    config_provider = "(0,n.Y)(o.ConfigProvider,{theme:t.antdConfig,children:e})"
    table_total = "N=(0,a.useCallback)((e,t)=>`${t[0]}-${t[1]} of ${e}`,[])"
    cards_total = "children:`${G*W+1}-${Math.min((G+1)*W,r)} of ${r}`})"
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
        Chunk(
            "8115",
            (
                # Superset's theme provider: the one ConfigProvider around the app. Ant Design's
                # components without a locale of their own (a select's "No data", the pagination)
                # read it; the object is built once per provider, not at every render.
                Edit(
                    "app-wide Ant Design locale",
                    config_provider,
                    config_provider.replace(
                        "children:e}",
                        f"locale:{VI}?this.vqLocale||(this.vqLocale={js(data['antd'])}):void 0,children:e}}",
                    ),
                ),
                # the list in table view: Ant Design Table's showTotal
                Edit(
                    "table row count",
                    table_total,
                    table_total.replace(
                        "`${t[0]}-${t[1]} of ${e}`", row_count(data, "t[0]", "t[1]", "e", "`${t[0]}-${t[1]} of ${e}`")
                    ),
                ),
                # the list in card view: ListView's own count under the cards
                Edit(
                    "card row count",
                    cards_total,
                    "children:"
                    + row_count(data, "G*W+1", "Math.min((G+1)*W,r)", "r", "`${G*W+1}-${Math.min((G+1)*W,r)} of ${r}`")
                    + "})",
                ),
            ),
        ),
    )


def async_chunks(data: dict | None = None) -> tuple[AsyncChunk, ...]:
    """The on-demand chunks' edits, with the anchors as the 6.1.0 bundle has them."""
    data = data or load_data()
    options = (
        '[{value:100,label:"100 rows"},{value:500,label:"500 rows"},{value:1e3,label:"1k rows"},'
        '{value:5e3,label:"5k rows"},{value:1e4,label:"10k rows"}]'
    )
    # the select's width: 110px cuts "10 nghìn dòng" in its drop-down
    width = 'options:v,size:"small",css:(0,a.AH)`\n              min-width: 110px;'
    # Explore's data panel (results, samples): the row-limit select's choices, evaluated when
    # the chunk loads (Explore opens after the language pack has set <html lang>)
    edits = (
        Edit("row-limit choices", options, row_limits(data, options)),
        Edit("row-limit select width", width, width.replace("110px", f"${{{VI}?140:110}}px")),
    )
    return (AsyncChunk("7682", edits, ("spa", "embedded")),)


def runtime_chunks(renames: dict[str, tuple[str, str]]) -> tuple[Chunk, ...]:
    """The webpack runtimes' edits: each on-demand chunk's file name -> its patched copy's.

    ``renames`` maps an async chunk id to (original file name, patched file name).
    """
    runtimes: dict[str, list[Edit]] = {}
    for chunk in async_chunks():
        original, new = renames[chunk.chunk_id]
        for runtime in chunk.runtimes:
            edit = Edit(f"chunk {chunk.chunk_id}'s file name", chunk.map_entry(original), chunk.map_entry(new))
            runtimes.setdefault(runtime, []).append(edit)
    return tuple(Chunk(runtime, tuple(edits)) for runtime, edits in runtimes.items())


def entry_ids() -> tuple[str, ...]:
    """Every entry chunk the patch rewrites (the ones manifest.json names)."""
    runtimes = dict.fromkeys(r for chunk in async_chunks() for r in chunk.runtimes)
    return tuple(c.chunk_id for c in chunks()) + tuple(runtimes)


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


def compressed_copies(assets: Path, original: str, new: str, content: bytes, files: dict[str, bytes]) -> list[str]:
    """Precompressed siblings stay consistent: where the original has one, the patched chunk gets one (in ``files``)."""
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
        files[target.name] = packed
        written.append(target.name)
    return written


def current_entry(assets: Path, manifest: str, chunk: Chunk) -> tuple[str, str]:
    """The entry chunk manifest.json names for ``chunk`` and the original it was patched from (itself if unpatched)."""
    names = set(chunk.name_re.findall(manifest))
    if len(names) != 1:
        found = f"{len(names)} entry chunks with id {chunk.chunk_id}: {sorted(names)}"
        raise bundle_changed(f"manifest.json names {found}")
    current = names.pop()
    original = original_of(current, (assets / current).read_text("utf-8"))
    if not (assets / original).exists():
        raise bundle_changed(f"{current} was patched from {original}, which is gone: reinstall Superset's package")
    return current, original


def async_original(assets: Path, manifest: str, chunk: AsyncChunk) -> str:
    """The on-demand chunk's original file name, as the original runtimes map it (once each, the same in all)."""
    names = set()
    for runtime in chunk.runtimes:
        _, original = current_entry(assets, manifest, Chunk(runtime, ()))
        found = chunk.map_re.findall((assets / original).read_text("utf-8"))
        if len(found) != 1:
            raise bundle_changed(
                f"{original}: chunk {chunk.chunk_id}'s file name occurs {len(found)} times (expected once)"
            )
        names.add(found[0])
    if len(names) != 1:
        raise bundle_changed(
            f"the runtimes {chunk.runtimes} map chunk {chunk.chunk_id} to different files: {sorted(names)}"
        )
    name = names.pop()
    if not (assets / name).exists():
        raise bundle_changed(f"chunk {chunk.chunk_id} ({name}) is missing: reinstall Superset's package")
    return name


def async_hashed_name(content: bytes) -> str:
    return f"{hashlib.sha256(content).hexdigest()[:HASH_LENGTH]}.chunk.js"


def apply(assets: Path, dry_run: bool = False) -> list[str]:
    """Patch the bundle in ``assets`` (Superset's static/assets); returns what changed (empty: up to date).

    ``dry_run`` checks the anchors and reports what would change without writing anything.
    On-demand chunks are patched first: the runtimes that load them need their new names.
    Every anchor is checked before anything is written.
    """
    manifest_path = assets / "manifest.json"
    if not manifest_path.exists():
        raise bundle_changed(f"{manifest_path} is missing: no built front end to patch")
    manifest = manifest_path.read_text("utf-8")
    files: dict[str, bytes] = {}  # new file name -> content, written once every chunk has been patched
    changes: list[str] = []
    renames: dict[str, tuple[str, str]] = {}
    for achunk in async_chunks():
        original = async_original(assets, manifest, achunk)
        content = patch_text(achunk, original, (assets / original).read_text("utf-8")).encode("utf-8")
        new = async_hashed_name(content)
        renames[achunk.chunk_id] = (original, new)
        if not (assets / new).exists() or (assets / new).read_bytes() != content:
            files[new] = content
            changes.append(f"{original} -> {new}")
        changes += compressed_copies(assets, original, new, content, files)
    for chunk in chunks() + runtime_chunks(renames):
        current, original = current_entry(assets, manifest, chunk)
        content = patch_text(chunk, original, (assets / original).read_text("utf-8")).encode("utf-8")
        new = hashed_name(chunk, content)
        if new != current:
            files[new] = content
            manifest = manifest.replace(f'/static/assets/{current}"', f'/static/assets/{new}"')
            changes.append(f"{current} -> {new}")
        changes += compressed_copies(assets, original, new, content, files)
    if changes and not dry_run:
        for name, content in files.items():
            write(assets / name, content)
        write(manifest_path, manifest.encode("utf-8"))
    return changes
