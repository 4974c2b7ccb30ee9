"""The page template of a search's report; it shares the style sheet of every page the project
writes (:data:`sim.present.page.CSS`). Rendered with Jinja2 autoescaping: every value is
escaped, only the page's own texts (already :class:`~markupsafe.Markup`) pass through as HTML.
"""

# ruff: noqa: E501  (the HTML template keeps its long lines)

from __future__ import annotations

from typing import Any

from jinja2 import Environment, StrictUndefined

from ...present.page import CSS, PAGE_HEAD

_EXTRA_CSS = """
tr.pick td { background:#fff8e1 !important; font-weight:600; }
pre.toml { white-space:pre-wrap; overflow-wrap:anywhere; background:var(--band);
  border:1px solid var(--rule); border-radius:6px; padding:10px 14px; font-size:0.85rem; }
td.status { white-space:nowrap; }
"""

TEMPLATE = PAGE_HEAD + r"""<meta name="generator" content="{{ footer.version }}">
<title>{{ doc_title }}</title>
<style>{{ css }}</style>
</head>
<body>
<div class="page">
<header class="top">
<h1 id="title">{{ title }}</h1>
<p class="lede">{{ lede }}</p>
<dl class="facts">
{% for name, value in facts %}<div><dt>{{ name }}</dt><dd>{{ value }}</dd></div>
{% endfor %}</dl>
</header>

<nav class="toc"><strong>{{ t("r.contents") }}</strong><ol>
{% for id, name in sections %}<li><a href="#{{ id }}">{{ name }}</a></li>
{% endfor %}</ol></nav>

<main>
<section id="summary" class="summary">
<h2>1. {{ sections[0][1] }}</h2>
{% for para in summary %}<p{% if loop.last %} class="note"{% endif %}>{{ para }}</p>
{% endfor %}
</section>

<section id="levers">
<h2>2. {{ sections[1][1] }}</h2>
<p>{{ t("r.levers.intro") }}</p>
<div class="tablewrap"><table class="levers" id="levers-table">
<thead><tr><th>{{ t("col.lever") }}</th><th>{{ t("col.kind") }}</th><th>{{ t("col.values") }}</th></tr></thead>
<tbody>{% for l in levers %}<tr><td><code>{{ l.path }}</code></td><td>{{ l.kind }}</td><td>{{ l.range }}</td></tr>
{% endfor %}</tbody></table></div>
<p id="goals">{{ goals }}</p>
</section>

<section id="front">
<h2>3. {{ sections[2][1] }}</h2>
<p>{{ front.intro }}</p>
<div class="tablewrap"><table class="front" id="front-table">
<thead><tr><th class="num">{{ t("col.trial") }}</th>{% for h in front.levers %}<th class="num"><code>{{ h }}</code></th>{% endfor %}{% for h in front.kpis %}<th class="num">{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in front.rows %}<tr{% if r.pick %} class="pick"{% endif %}><td class="num">{{ r.trial }}</td>{% for v in r.params %}<td class="num">{{ v }}</td>{% endfor %}{% for v in r.kpis %}<td class="num">{{ v }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></div>
{% if chart %}<figure id="chart-front">
<img src="data:image/png;base64,{{ chart.png }}" alt="{{ chart.alt }}">
<figcaption>{{ chart.caption }}</figcaption>
</figure>{% endif %}
</section>

<section id="selection">
<h2>4. {{ sections[3][1] }}</h2>
<p>{{ selection.intro }}</p>
<div class="tablewrap"><table class="selection" id="selection-table">
<thead><tr><th class="num">{{ t("col.trial") }}</th><th class="num">{{ t("col.reps") }}</th><th class="num">{{ selection.mean_head }}</th><th class="num">{{ t("r.col.ci") }}</th>{% for h in selection.others %}<th class="num">{{ h }}</th>{% endfor %}<th>{{ t("col.status") }}</th></tr></thead>
<tbody>{% for r in selection.rows %}<tr{% if r.selected %} class="pick"{% endif %}><td class="num">{{ r.trial }}</td><td class="num">{{ r.reps }}</td><td class="num">{{ r.mean }}</td><td class="num">{{ r.ci }}</td>{% for v in r.others.values() %}<td class="num">{{ v }}</td>{% endfor %}<td class="status">{{ r.status }}</td></tr>
{% endfor %}</tbody></table></div>
{% if selection.dropped %}<p>{{ t("r.sel.dropped") }}</p>{% endif %}
<p id="pcs">{{ selection.pcs }}</p>
</section>

<section id="policy">
<h2>5. {{ sections[4][1] }}</h2>
<p>{{ policy.intro }}</p>
<pre class="toml" id="toml">{{ policy.toml }}</pre>
</section>

<section id="method">
<h2>6. {{ sections[5][1] }}</h2>
<p>{{ method }}</p>
</section>
</main>

<footer class="repro" id="repro">
<h2>{{ sections[6][1] }}</h2>
<dl>
<dt>{{ t("r.ft.version") }}</dt><dd>{{ footer.version }}</dd>
<dt>{{ t("r.ft.file") }}</dt><dd><code>{{ footer.file }}</code></dd>
<dt>{{ t("r.ft.study") }}</dt><dd><code>{{ footer.study }}</code></dd>
<dt>{{ t("r.ft.storage") }}</dt><dd><code>{{ footer.storage }}</code></dd>
<dt>{{ t("r.ft.seed") }}</dt><dd>{{ footer.seed }}</dd>
<dt>{{ t("r.ft.command") }}</dt><dd><pre id="command">{{ footer.command }}</pre></dd>
<dt>{{ t("r.ft.generated") }}</dt><dd>{{ footer.generated }}</dd>
</dl>
</footer>
</div>
</body>
</html>
"""


def render(content: dict[str, Any]) -> str:
    """The page of ``content`` (:func:`sim.report.optimize.page_content`)."""
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=False)
    return env.from_string(TEMPLATE).render(css=CSS + _EXTRA_CSS, **content)
