"""The bundle patch (superset/translations/bundle_patch) applies to the installed Superset, once.

Fast: no Superset start. It patches a copy of the installed bundle's manifest and the two
entry chunks it rewrites, checks the result with Node's parser where Node is installed, and
runs the Vietnamese dayjs locale it writes. The Chromium walk (test_vietnamese_ui.py) checks
what a reader sees.
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


def originals(assets: Path) -> dict[str, str]:
    """The unpatched entry chunks, by chunk id (the installed manifest may already name patched ones)."""
    manifest = (assets / "manifest.json").read_text("utf-8")
    found = {}
    for chunk in patch.chunks():
        (name,) = set(chunk.name_re.findall(manifest))
        found[chunk.chunk_id] = patch.original_of(name, (assets / name).read_text("utf-8"))
    return found


@pytest.fixture()
def bundle(tmp_path: Path) -> Path:
    """A copy of the installed bundle as Superset's package ships it: manifest and the original chunks."""
    if not (ASSETS / "manifest.json").exists():
        pytest.skip("no installed Superset (.venv-superset): run make install")
    names = originals(ASSETS)
    manifest = (ASSETS / "manifest.json").read_text("utf-8")
    for chunk in patch.chunks():
        (current,) = set(chunk.name_re.findall(manifest))
        manifest = manifest.replace(f'/static/assets/{current}"', f'/static/assets/{names[chunk.chunk_id]}"')
    (tmp_path / "manifest.json").write_text(manifest, "utf-8")
    for name in names.values():
        shutil.copyfile(ASSETS / name, tmp_path / name)
    return tmp_path


def entry_names(assets: Path) -> dict[str, str]:
    manifest = (assets / "manifest.json").read_text("utf-8")
    return {c.chunk_id: set(c.name_re.findall(manifest)).pop() for c in patch.chunks()}


def test_the_patch_applies_once_and_the_manifest_names_the_patched_chunks(bundle: Path) -> None:
    before = entry_names(bundle)
    changes = patch.apply(bundle)
    after = entry_names(bundle)
    assert len(changes) == 2
    for chunk_id, name in after.items():
        assert name != before[chunk_id]
        text = (bundle / name).read_text("utf-8")
        assert text.startswith(f"{patch.MARKER}: patched from {before[chunk_id]} ")
        assert patch.hashed_name(next(c for c in patch.chunks() if c.chunk_id == chunk_id), text.encode()) == name
        assert (bundle / before[chunk_id]).exists()  # a page rendered before the restart still loads it
    locale_chunk = (bundle / after["616"]).read_text("utf-8")
    assert ',vi:()=>Promise.resolve({default:{"locale":"vi"' in locale_chunk
    assert 'i().locale({"name":"vi","weekStart":1' in locale_chunk
    assert "document.documentElement.lang=x,s.XV.locale(x)" in locale_chunk
    grid_chunk = (bundle / after["8706"]).read_text("utf-8")
    assert '"noMatchingRows":"Không có dòng nào khớp"' in grid_chunk
    # idempotent: a second install changes nothing, byte for byte
    files = {p.name: p.read_bytes() for p in bundle.iterdir()}
    assert patch.apply(bundle) == []
    assert {p.name: p.read_bytes() for p in bundle.iterdir()} == files


def test_the_installed_superset_is_patched() -> None:
    """make install / the image ran the patch: nothing left to apply to the installed bundle."""
    if not (ASSETS / "manifest.json").exists():
        pytest.skip("no installed Superset (.venv-superset): run make install")
    assert patch.apply(ASSETS, dry_run=True) == []


def test_a_changed_bundle_fails_loudly_and_writes_nothing(bundle: Path) -> None:
    name = entry_names(bundle)["616"]
    text = (bundle / name).read_text("utf-8")
    (bundle / name).write_text(text.replace("pt_BR:()=>", "pt_PT:()=>").replace("nl:()=>", "nl_NL:()=>"), "utf-8")
    files = sorted(p.name for p in bundle.iterdir())
    with pytest.raises(patch.BundleChanged, match=r"(?s)useLocale vi entry.*occurs 0 times.*Superset 6\.1\.0"):
        patch.apply(bundle)
    assert sorted(p.name for p in bundle.iterdir()) == files


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
    for name in entry_names(bundle).values():
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
