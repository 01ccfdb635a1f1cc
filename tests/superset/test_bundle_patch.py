"""The bundle patch (superset/translations/bundle_patch) applies to the installed Superset, once.

Fast: no Superset start. It patches a copy of the installed bundle's manifest and the chunks it
rewrites (four entry chunks, the webpack runtimes and Explore's data-panel chunk), checks the
result with Node's parser where Node is installed, and runs what it writes: the Vietnamese dayjs
locale, the lists' row count and Explore's row-limit choices, in Vietnamese and in English. The
Chromium walk (test_vietnamese_ui.py) checks what a reader sees.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from superset.translations import bundle_patch as patch

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / ".venv-superset" / "lib" / "python3.11" / "site-packages" / "superset" / "static" / "assets"
NODE = shutil.which("node")


RUNTIMES = ("spa", "embedded")  # the webpack runtimes that load Explore's data-panel chunk (7682)
DATA_PANEL = "7682"


@pytest.fixture()
def bundle(tmp_path: Path) -> Path:
    """A copy of the installed bundle as Superset's package ships it: manifest and the original chunks."""
    if not (ASSETS / "manifest.json").exists():
        pytest.skip("no installed Superset (.venv-superset): run make install")
    manifest = (ASSETS / "manifest.json").read_text("utf-8")
    for chunk_id in patch.entry_ids():
        current, original = patch.current_entry(ASSETS, manifest, patch.Chunk(chunk_id, ()))
        manifest = manifest.replace(f'/static/assets/{current}"', f'/static/assets/{original}"')
        shutil.copyfile(ASSETS / original, tmp_path / original)
    (tmp_path / "manifest.json").write_text(manifest, "utf-8")
    for achunk in patch.async_chunks():
        name = patch.async_original(ASSETS, manifest, achunk)  # as the original runtimes name it
        shutil.copyfile(ASSETS / name, tmp_path / name)
    return tmp_path


def entry_names(assets: Path) -> dict[str, str]:
    manifest = (assets / "manifest.json").read_text("utf-8")
    return {i: patch.Chunk(i, ()).name_re.findall(manifest)[0] for i in patch.entry_ids()}


def data_panel_name(assets: Path, runtime: str) -> str:
    """The file the runtime loads for Explore's data panel."""
    text = (assets / entry_names(assets)[runtime]).read_text("utf-8")
    (name,) = patch.async_chunks()[0].map_re.findall(text)
    return name


def test_the_patch_applies_once_and_the_manifest_names_the_patched_chunks(bundle: Path) -> None:
    assert patch.entry_ids() == ("616", "8706", "8115", *RUNTIMES)
    before = entry_names(bundle)
    panel_before = data_panel_name(bundle, "spa")
    changes = patch.apply(bundle)
    after = entry_names(bundle)
    panel_after = data_panel_name(bundle, "spa")
    assert len(changes) == 6  # five entry chunks and the data panel's chunk
    assert changes[0] == f"{panel_before} -> {panel_after}"
    for chunk_id, name in after.items():
        assert name != before[chunk_id]
        text = (bundle / name).read_text("utf-8")
        assert text.startswith(f"{patch.MARKER}: patched from {before[chunk_id]} ")
        assert patch.hashed_name(patch.Chunk(chunk_id, ()), text.encode()) == name
        assert (bundle / before[chunk_id]).exists()  # a page rendered before the restart still loads it
    locale_chunk = (bundle / after["616"]).read_text("utf-8")
    assert ',vi:()=>Promise.resolve({default:{"locale":"vi"' in locale_chunk
    assert 'i().locale({"name":"vi","weekStart":1' in locale_chunk
    assert "document.documentElement.lang=x,s.XV.locale(x)" in locale_chunk
    grid_chunk = (bundle / after["8706"]).read_text("utf-8")
    assert '"noMatchingRows":"Không có dòng nào khớp"' in grid_chunk
    # the app-wide ConfigProvider: our Ant Design locale (a select's empty list, the pagination)
    app_chunk = (bundle / after["8115"]).read_text("utf-8")
    provider = 'o.ConfigProvider,{theme:t.antdConfig,locale:"vi"===document.documentElement.lang?this.vqLocale'
    assert provider in app_chunk
    assert '"Empty":{"description":"Không có dữ liệu"},"Pagination":{"items_per_page":"/ trang"' in app_chunk
    assert app_chunk.count("trên ${") == 2  # the list's count, in table view and in card view
    # Explore's data panel: a new file with the Vietnamese row-limit choices, loaded by both runtimes
    panel = (bundle / panel_after).read_text("utf-8")
    assert panel.startswith(f"{patch.MARKER}: patched from {panel_before} ")
    assert panel_after == patch.async_hashed_name(panel.encode()) != panel_before
    assert '{value:1e3,label:"1 nghìn dòng"}' in panel
    assert 'min-width: ${"vi"===document.documentElement.lang?140:110}px;' in panel  # "10 nghìn dòng" fits
    assert (bundle / panel_before).exists()
    assert {data_panel_name(bundle, r) for r in RUNTIMES} == {panel_after}
    # idempotent: a second install changes nothing, byte for byte
    files = {p.name: p.read_bytes() for p in bundle.iterdir()}
    assert patch.apply(bundle) == []
    assert {p.name: p.read_bytes() for p in bundle.iterdir()} == files


def test_the_installed_superset_is_patched() -> None:
    """make install / the image ran the patch: nothing left to apply to the installed bundle."""
    if not (ASSETS / "manifest.json").exists():
        pytest.skip("no installed Superset (.venv-superset): run make install")
    assert patch.apply(ASSETS, dry_run=True) == []
    manifest = (ASSETS / "manifest.json").read_text("utf-8")
    app_chunk, _ = patch.current_entry(ASSETS, manifest, patch.Chunk("8115", ()))
    assert (ASSETS / app_chunk).read_text("utf-8").startswith(patch.MARKER)
    panel = data_panel_name(ASSETS, "spa")
    assert (ASSETS / panel).read_text("utf-8").startswith(patch.MARKER)


def test_a_changed_bundle_fails_loudly_and_writes_nothing(bundle: Path) -> None:
    name = entry_names(bundle)["616"]
    text = (bundle / name).read_text("utf-8")
    (bundle / name).write_text(text.replace("pt_BR:()=>", "pt_PT:()=>").replace("nl:()=>", "nl_NL:()=>"), "utf-8")
    files = sorted(p.name for p in bundle.iterdir())
    with pytest.raises(patch.BundleChanged, match=r"(?s)useLocale vi entry.*occurs 0 times.*Superset 6\.1\.0"):
        patch.apply(bundle)
    assert sorted(p.name for p in bundle.iterdir()) == files


def test_a_changed_data_panel_chunk_fails_loudly_and_writes_nothing(bundle: Path) -> None:
    """Explore's row-limit choices moved (or a runtime maps chunk 7682 elsewhere): exit 2's error, no file."""
    name = data_panel_name(bundle, "spa")
    text = (bundle / name).read_text("utf-8")
    (bundle / name).write_text(text.replace('label:"1k rows"', 'label:"1K rows"'), "utf-8")
    files = {p.name: p.read_bytes() for p in bundle.iterdir()}
    with pytest.raises(patch.BundleChanged, match=r"(?s)'row-limit choices' occurs 0 times.*Superset 6\.1\.0"):
        patch.apply(bundle)
    assert {p.name: p.read_bytes() for p in bundle.iterdir()} == files
    (bundle / name).write_text(text, "utf-8")
    runtime = entry_names(bundle)["embedded"]
    runtime_text = (bundle / runtime).read_text("utf-8")
    (bundle / runtime).write_text(runtime_text.replace(f'7682===e?"{name}"', '7682===e?"0.chunk.js"'), "utf-8")
    with pytest.raises(patch.BundleChanged, match=r"chunk 7682's file name occurs 0 times"):
        patch.apply(bundle)
    assert sorted(p.name for p in bundle.iterdir()) == sorted(files)


def test_upstream_vietnamese_is_reported_as_time_to_drop_the_patch(bundle: Path) -> None:
    name = entry_names(bundle)["616"]
    text = (bundle / name).read_text("utf-8")
    (bundle / name).write_text(text.replace("nl:()=>", "vi:()=>null,nl:()=>"), "utf-8")
    with pytest.raises(patch.BundleChanged, match=r"(?s)already maps 'vi' in useLocale.*drop the patch"):
        patch.apply(bundle)


def test_precompressed_copies_follow_the_patched_chunk(bundle: Path) -> None:
    """Superset 6.1 ships none (Flask-Compress compresses on the fly); a build that does keeps them consistent."""
    name = entry_names(bundle)["8706"]
    (bundle / f"{name}.gz").write_bytes(gzip.compress((bundle / name).read_bytes()))
    patch.apply(bundle)
    patched = entry_names(bundle)["8706"]
    assert gzip.decompress((bundle / f"{patched}.gz").read_bytes()) == (bundle / patched).read_bytes()
    assert patch.apply(bundle) == []


@pytest.mark.skipif(NODE is None, reason="Node is not installed")
def test_patched_chunks_parse_and_the_dayjs_locale_reads_vietnamese(bundle: Path) -> None:
    patch.apply(bundle)
    for name in [*entry_names(bundle).values(), data_panel_name(bundle, "spa")]:
        subprocess.run([NODE, "--check", str(bundle / name)], check=True, capture_output=True)
    script = f"""
        const l = {patch.dayjs_locale(patch.load_data())};
        const rt = l.relativeTime;
        console.log(JSON.stringify({{
          name: l.name, min: l.weekdaysMin, first: l.weekStart, L: l.formats.L, LTS: l.formats.LTS,
          ago: rt.past.replace("%s", rt.mm.replace("%d", 5)), soon: rt.past.replace("%s", rt.s),
          am: l.meridiem(9), pm: l.meridiem(15), ord: l.ordinal(3), dec: l.months[11],
        }}));"""
    out = subprocess.run([NODE, "-e", script], check=True, capture_output=True, text=True).stdout
    assert json.loads(out) == {
        "name": "vi",
        "min": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
        "first": 1,
        "L": "DD/MM/YYYY",
        "LTS": "HH:mm:ss",
        "ago": "5 phút trước",
        "soon": "vài giây trước",
        "am": "SA",
        "pm": "CH",
        "ord": "3",
        "dec": "tháng 12",
    }


def test_the_vietnamese_is_nfc_and_spelled_as_the_glossary() -> None:
    """The patch's words are compared with what the walk sees: NFC, the older tone placement."""

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    words = strings(patch.load_data())
    assert [w for w in words if unicodedata.normalize("NFC", w) != w] == []
    assert [w for w in words if re.search(r"xoá|huỷ|tuỳ|hoà|luỹ", w)] == []
    assert "Xóa" in words and "Hôm nay" in words


@pytest.mark.skipif(NODE is None, reason="Node is not installed")
@pytest.mark.parametrize(
    ("lang", "count", "limits"),
    [
        ("vi", "1-7 trên 7", ["100 dòng", "500 dòng", "1 nghìn dòng", "5 nghìn dòng", "10 nghìn dòng"]),
        ("en", "1-7 of 7", ["100 rows", "500 rows", "1k rows", "5k rows", "10k rows"]),
    ],
)
def test_row_count_and_row_limits_read_the_interface_language(lang: str, count: str, limits: list[str]) -> None:
    """What the patch writes for the lists' count and Explore's row limits, run: Vietnamese only under lang vi."""
    data = patch.load_data()
    anchor = patch.async_chunks()[0].edits[0].anchor
    expression = patch.row_count(data, "t[0]", "t[1]", "e", "`${t[0]}-${t[1]} of ${e}`")
    script = f"""
        globalThis.document = {{documentElement: {{lang: {json.dumps(lang)}}}}};
        const t = [1, 7], e = 7;
        const limits = {patch.row_limits(data, anchor)};
        console.log(JSON.stringify({{count: {expression}, limits: limits.map(o => o.label)}}));"""
    out = subprocess.run([NODE, "-e", script], check=True, capture_output=True, text=True).stdout
    assert json.loads(out) == {"count": count, "limits": limits}
