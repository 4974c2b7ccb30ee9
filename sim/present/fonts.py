"""A Chinese font for matplotlib, found and registered on demand.

Matplotlib's own font (DejaVu Sans) has no Chinese characters: without help, Chinese labels
render as empty boxes and matplotlib warns "Glyph ... missing from font(s)". :func:`cjk_font`
finds a font with Simplified Chinese glyphs and registers it with matplotlib's font manager;
:func:`cjk_rc` gives the ``rcParams`` that put it *behind* the usual font, so Latin letters and
digits keep matplotlib's look and every Chinese character falls back to the CJK font (mixed text
like "利润 (元)" renders in one string).

Where the font comes from, first found wins:

1. the file named by the environment variable ``SIM_CJK_FONT`` (a .ttf, .otf or .ttc);
2. the PyPI package ``noto-cjk-sans-otc`` (a project dependency): ``NotoSansCJK-Regular.ttc``,
   whose face "Noto Sans CJK SC" is used;
3. the PyPI package ``mplfonts`` (``NotoSansCJKsc-Regular.otf``), if installed;
4. a Chinese font already known to matplotlib (system fonts such as Debian's ``fonts-noto-cjk``,
   WenQuanYi, Microsoft YaHei, PingFang SC, SimHei).

If none is found, :func:`cjk_font` returns ``None`` and warns once; plots still work, with boxes.
"""

from __future__ import annotations

import functools
import os
import threading
import warnings
from pathlib import Path

from matplotlib import font_manager, ft2font

#: Families with Simplified Chinese glyphs, in order of preference.
PREFERRED_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
                      "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                      "Microsoft YaHei", "PingFang SC", "Heiti SC", "SimHei", "Noto Sans CJK JP",
                      "Noto Sans CJK TC", "Arial Unicode MS")
#: A character every Simplified Chinese font has (利, as in 利润).
_PROBE = "利"

_lock = threading.Lock()
_found: str | None = None
_searched = False
_registered: set[str] = set()


def _candidate_files() -> list[Path]:
    files: list[Path] = []
    env = os.environ.get("SIM_CJK_FONT")
    if env:
        files.append(Path(env).expanduser())
    try:
        import noto_cjk_sans_otc  # type: ignore[import-not-found]

        files.append(Path(str(noto_cjk_sans_otc.FONT_PATH)))
    except (ImportError, AttributeError):
        pass
    try:
        import mplfonts  # type: ignore[import-not-found]

        files += sorted(Path(mplfonts.__file__).parent.rglob("NotoSansCJKsc-Regular.otf"))
    except ImportError:
        pass
    return files


def register_font_file(path: str | os.PathLike[str]) -> list[str]:
    """Register a font file (every face of a .ttc) with matplotlib; returns its family names."""
    path = str(path)
    manager = font_manager.fontManager
    if path not in _registered:
        manager.addfont(path)
        _registered.add(path)
    return list(dict.fromkeys(e.name for e in manager.ttflist if e.fname == path))


@functools.lru_cache(maxsize=64)
def _face(fname: str, index: int) -> ft2font.FT2Font:
    return ft2font.FT2Font(fname, face_index=index)


def _has_glyph(entry: font_manager.FontEntry, text: str = _PROBE) -> bool:
    try:
        font = _face(entry.fname, int(getattr(entry, "index", 0) or 0))
        return all(font.get_char_index(ord(c)) for c in text)
    except Exception:
        return False


def cjk_font() -> str | None:
    """The family name of a registered Chinese font (registering it first), or ``None``."""
    global _found, _searched
    with _lock:
        if _searched:
            return _found
        _searched = True
        for file in _candidate_files():
            if not file.is_file():
                continue
            try:
                families = register_font_file(file)
            except Exception:  # an unreadable font file: try the next one
                continue
            for name in PREFERRED_FAMILIES:
                if name in families:
                    _found = name
                    return _found
            if families:
                _found = families[0]
                return _found
        known = {e.name: e for e in font_manager.fontManager.ttflist}
        for name in PREFERRED_FAMILIES:
            if name in known and _has_glyph(known[name]):
                _found = name
                return _found
        warnings.warn("no Chinese font found: Chinese plot labels will show as boxes "
                      "(pip install noto-cjk-sans-otc, or set SIM_CJK_FONT to a .ttf/.otf/.ttc "
                      "file)", RuntimeWarning, stacklevel=2)
        return None


def cjk_rc(base: list[str] | None = None) -> dict[str, object]:
    """``rcParams`` that add the Chinese font as the fallback behind ``base`` (default: the
    current ``font.family``, e.g. DejaVu Sans), for ``matplotlib.rc_context``."""
    import matplotlib

    family = list(base or matplotlib.rcParams["font.family"])
    name = cjk_font()
    if name and name not in family:
        family.append(name)
    return {"font.family": family}


def font_for(text: str, family: list[str] | None = None) -> list[str]:
    """The family name matplotlib draws each character of ``text`` with, given ``family``.

    Mirrors matplotlib's fallback: a character goes to the first font of the family list that
    has a glyph for it (the first font if none has). Used by tests and for diagnosing boxes.
    """
    import matplotlib

    prop = font_manager.FontProperties(family=family or matplotlib.rcParams["font.family"])
    manager = font_manager.fontManager
    fonts = []
    for fam in prop.get_family():
        one = prop.copy()
        one.set_family(fam)
        try:
            path = manager.findfont(one, fallback_to_default=False)
        except ValueError:
            continue
        index = int(getattr(path, "face_index", 0) or 0)
        entry = next((e for e in manager.ttflist
                      if e.fname == str(path) and int(getattr(e, "index", 0) or 0) == index),
                     None)
        if entry is not None and entry not in fonts:
            fonts.append(entry)
    out = []
    for char in text:
        chosen = next((e for e in fonts if _has_glyph(e, char)), fonts[0] if fonts else None)
        out.append(chosen.name if chosen else "")
    return out

