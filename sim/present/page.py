"""What every HTML page the project writes shares: the style sheet and embedded charts.

The scenario report (:mod:`sim.report`) and the calibration's fit report
(:mod:`sim.calibrate.report`) look alike because they use the same :data:`CSS` and embed their
charts the same way (:func:`png_base64`).
"""


from __future__ import annotations

import base64
import io
from typing import Any

#: Dots per inch of embedded charts.
CHART_DPI = 110

#: The start of every HTML page the project writes (the scenario report, the fit report, the
#: search's page): a Jinja2 fragment, with the page's language in ``html_lang``; no script and
#: nothing from outside the file (the content security policy).
PAGE_HEAD = r"""<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
"""

CSS = """
:root { --ink:#1f2328; --muted:#59636e; --rule:#d0d7de; --band:#f6f8fa; --accent:#0b5cad;
  --better:#1a7f37; --worse:#c62828; --unclear:#6e7781; }
* { box-sizing:border-box; }
html { font-size:15px; }
body { margin:0; color:var(--ink); background:#fff; line-height:1.55;
  font-family: "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", "Noto Sans CJK SC",
    "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
    "WenQuanYi Micro Hei", "Noto Sans SC", sans-serif; }
:lang(zh) body, body:lang(zh) { line-height:1.7; }
.page { max-width:1120px; margin:0 auto; padding:28px 32px 48px; }
header.top { border-bottom:3px solid var(--accent); padding-bottom:14px; margin-bottom:18px; }
h1 { font-size:1.75rem; margin:0 0 6px; line-height:1.25; overflow-wrap:anywhere; }
h2 { font-size:1.35rem; margin:38px 0 12px; padding-bottom:4px;
  border-bottom:1px solid var(--rule); }
h3 { font-size:1.1rem; margin:26px 0 8px; }
h4 { font-size:0.98rem; margin:16px 0 4px; color:#333; }
p { margin:8px 0; }
.lede { color:var(--muted); margin:0 0 10px; }
.desc { margin:6px 0 12px; overflow-wrap:anywhere; }
dl.facts { display:grid; grid-template-columns:repeat(auto-fill, minmax(240px, 1fr));
  gap:6px 22px; margin:10px 0 0; }
dl.facts div { border-left:3px solid var(--rule); padding-left:8px; }
dl.facts dt { font-size:0.8rem; color:var(--muted); }
dl.facts dd { margin:0; font-weight:600; overflow-wrap:anywhere; }
nav.toc { background:var(--band); border:1px solid var(--rule); border-radius:6px;
  padding:10px 16px; margin:16px 0 8px; }
nav.toc strong { display:block; margin-bottom:4px; }
nav.toc ol { margin:0; padding-left:22px; columns:2; column-gap:32px; }
nav.toc a { color:var(--accent); text-decoration:none; }
.summary p { margin:10px 0; max-width:62em; }
.summary p.note { color:var(--muted); font-size:0.92rem; }
table { border-collapse:collapse; width:100%; margin:8px 0 14px; font-size:0.9rem; }
th, td { padding:5px 8px; border-bottom:1px solid var(--rule); vertical-align:top;
  text-align:left; }
thead th { background:var(--band); font-weight:600; border-bottom:2px solid var(--rule); }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
tbody tr:nth-child(even) td { background:#fbfcfd; }
.tablewrap { overflow-x:auto; }
code { font-family: "SFMono-Regular", Consolas, "Liberation Mono", Menlo, monospace;
  font-size:0.86em; background:var(--band); padding:0 3px; border-radius:3px;
  overflow-wrap:anywhere; }
.id { display:block; color:var(--muted); font-size:0.8rem; }
.badge { display:inline-block; font-size:0.75rem; font-weight:600; color:#fff;
  background:#555; border-radius:10px; padding:0 8px; margin-left:6px; vertical-align:middle; }
.v { font-weight:600; white-space:nowrap; }
.v.better { color:var(--better); } .v.worse { color:var(--worse); }
.v.no-clear-difference, .v.identical { color:var(--unclear); font-weight:400; }
.v.higher, .v.lower { color:var(--accent); }
.glance td.num .d { display:block; font-size:0.8rem; }
.glance thead th { vertical-align:bottom; } .glance th.num { white-space:normal; }
.glance td.num .d.better { color:var(--better); } .glance td.num .d.worse { color:var(--worse); }
.glance td.num .d.no-clear-difference, .glance td.num .d.identical { color:var(--unclear); }
.kpitable.base { width:auto; min-width:55%; }
table.keyinputs { width:auto; min-width:60%; }
table.outputs { font-size:0.85rem; }
table.outputs td:nth-child(2), table.keyinputs td:nth-child(2) { white-space:nowrap; }
.kpitable td:first-child { width:30%; }
.unit { color:var(--muted); font-size:0.8rem; white-space:nowrap; }
p.unit { white-space:normal; }  /* a note under a table wraps; a unit beside a name does not */
figure { margin:18px 0 26px; page-break-inside:avoid; }
figure img { display:block; max-width:100%; height:auto; border:1px solid var(--rule);
  border-radius:4px; }
figcaption { color:var(--muted); font-size:0.88rem; margin-top:6px; max-width:62em; }
pre.notes { white-space:pre-wrap; overflow-wrap:anywhere; background:var(--band);
  border:1px solid var(--rule); border-radius:6px; padding:10px 14px; font-size:0.8rem;
  line-height:1.45; max-height:none; }
td.changed { background:#fff8e1 !important; font-weight:600; }
ol.flow { list-style:none; display:grid; grid-template-columns:repeat(4, 1fr); gap:10px;
  padding:0; margin:10px 0; counter-reset:step; }
ol.flow li { border:1px solid var(--rule); border-top:3px solid var(--accent);
  border-radius:4px; padding:6px 10px; background:#fff; counter-increment:step; }
ol.flow li strong::before { content:counter(step) ". "; color:var(--accent); }
ol.flow li span { display:block; color:var(--muted); font-size:0.84rem; }
ul.plain { margin:6px 0; padding-left:20px; }
footer.repro { margin-top:40px; border-top:3px solid var(--accent); padding-top:10px;
  font-size:0.86rem; }
footer.repro dl { display:grid; grid-template-columns:max-content 1fr; gap:4px 16px; }
footer.repro dt { color:var(--muted); }
footer.repro dd { margin:0; overflow-wrap:anywhere; }
footer.repro pre { white-space:pre-wrap; overflow-wrap:anywhere; margin:0;
  background:var(--band); padding:6px 8px; border-radius:4px; }
@media (max-width:760px) { ol.flow { grid-template-columns:repeat(2, 1fr); }
  nav.toc ol { columns:1; } .page { padding:16px; } }
@media print { .page { max-width:none; padding:0; } nav.toc { display:none; }
  h2 { page-break-after:avoid; } table, figure { page-break-inside:avoid; } }
"""


def png_base64(fig: Any, dpi: int = CHART_DPI) -> str:
    """A matplotlib figure as a base64 PNG, quantised to a palette to keep the page small."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    data = buffer.getvalue()
    try:
        from PIL import Image

        image = Image.open(io.BytesIO(data)).convert("RGB")
        small = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE)
        out = io.BytesIO()
        small.save(out, format="PNG", optimize=True)
        if len(out.getvalue()) < len(data):
            data = out.getvalue()
    except Exception:  # Pillow missing or failing: keep matplotlib's PNG
        pass
    return base64.b64encode(data).decode("ascii")
