"""The report page: one HTML file with inline CSS and embedded PNG charts.

Rendered with Jinja2 and *autoescaping on*: every value from the scenario file (names,
descriptions, notes, parameter values) is escaped; only the report's own texts
(:func:`.parts.tr`, already :class:`~markupsafe.Markup`) pass through as HTML. A Content Security
Policy in the page forbids scripts and any network access: the page is read-only and
self-contained, and opens the same without a network.

Fonts: a system font stack that names the common Simplified Chinese fonts (Noto Sans CJK SC /
Source Han Sans SC on Linux, PingFang SC on macOS, Microsoft YaHei on Windows), so Chinese renders
wherever a Chinese font is installed; nothing is fetched.
"""

# ruff: noqa: E501  (the HTML template keeps its long lines; it is HTML, not Python)
from __future__ import annotations

from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from ..present.page import CSS, PAGE_HEAD

TEMPLATE = PAGE_HEAD + r"""<meta name="generator" content="{{ footer.version }}">
<title>{{ header.doc_title }}</title>
<style>{{ css }}</style>
</head>
<body>
<div class="page">
<header class="top">
<h1 id="title">{{ header.title }}</h1>
<p class="lede">{{ header.lede }}</p>
{% if header.description %}<p class="desc" id="scenario-description">{{ header.description }}</p>{% endif %}
<dl class="facts">
{% for name, value in header.facts %}<div><dt>{{ name }}</dt><dd>{{ value }}</dd></div>
{% endfor %}</dl>
</header>

<nav class="toc"><strong>{{ t("contents") }}</strong><ol>
{% for id, name in sections %}<li><a href="#{{ id }}">{{ name }}</a></li>
{% endfor %}</ol></nav>

<main>
<section id="summary" class="summary">
<h2>{{ heading.summary }}</h2>
{% for para in summary %}<p{% if loop.last %} class="note"{% endif %}>{{ para }}</p>
{% endfor %}
{% if why %}<div id="why">
<h3>{{ why.title }}</h3>
<p class="unit">{{ why.intro }}</p>
{% for item in why["items"] %}<p class="why" data-policy="{{ item.policy }}">{{ item.text }}</p>
{% if item.chart %}<figure id="{{ item.chart.id }}">
<img src="data:image/png;base64,{{ item.chart.png }}" alt="{{ item.chart.alt }}">
<figcaption>{{ item.chart.title }}</figcaption>
</figure>{% endif %}
{% endfor %}</div>{% endif %}
</section>

<section id="policies">
<h2>{{ heading.policies }}</h2>
<div class="tablewrap"><table class="policies">
<thead><tr><th>{{ t("pol.name") }}</th><th>{{ t("pol.description") }}</th></tr></thead>
<tbody>
{% for p in policies %}<tr data-policy="{{ p.id }}"><td><strong>{{ p.name }}</strong>{% if p.baseline and p.name != t("pol.baseline_mark") %}<span class="badge">{{ t("pol.baseline_mark") }}</span>{% endif %}{% if p.name != p.id %}<span class="id"><code>{{ p.id }}</code></span>{% endif %}</td>
<td>{{ p.description or t("none") }}</td></tr>
{% endfor %}</tbody></table></div>
</section>

<section id="kpis">
<h2>{{ heading.kpis }}</h2>
<p>{{ kpi_intro }}</p>
<h3 id="glance">{{ t("kpi.glance") }}</h3>
<p class="unit">{{ t("kpi.glance_note") }}</p>
<div class="tablewrap"><table class="glance">
<thead><tr><th>{{ t("pol.name") }}</th>
{% for kpi, name, unit in glance.kpis %}<th class="num">{{ name }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in glance.rows %}<tr data-policy="{{ row.policy }}"><td><strong>{{ row.name }}</strong>{% if row.baseline and row.name != t("pol.baseline_mark") %}<span class="badge">{{ t("pol.baseline_mark") }}</span>{% endif %}</td>
{% for cell in row.cells %}<td class="num" data-kpi="{{ cell.kpi }}" data-mean="{{ cell.mean_raw }}">{{ cell.mean }}{% if cell.diff is defined %}<span class="d {{ cell.verdict_class }}" title="{{ cell.verdict }}">{{ cell.diff }}</span>{% endif %}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></div>

{% for tab in kpi_tables %}
<h3 id="kpi-{{ loop.index }}" data-policy="{{ tab.policy }}">{{ tab.name }}{% if tab.baseline and tab.name != t("pol.baseline_mark") %}<span class="badge">{{ t("pol.baseline_mark") }}</span>{% endif %}{% if tab.name != tab.policy %} <code>{{ tab.policy }}</code>{% endif %}</h3>
{% if tab.baseline %}<p class="unit">{{ t("kpi.is_baseline") }}</p>{% endif %}
<div class="tablewrap"><table class="kpitable{% if tab.baseline %} base{% endif %}" data-policy="{{ tab.policy }}">
<thead><tr><th>{{ t("kpi.col.kpi") }}</th><th class="num">{{ t("kpi.col.mean") }}</th><th class="num">{{ t("kpi.col.ci") }}</th>
{% if not tab.baseline %}<th class="num">{{ t("kpi.col.diff") }}</th><th class="num">{{ t("kpi.col.dci") }}</th><th>{{ t("kpi.col.verdict") }}</th>{% endif %}</tr></thead>
<tbody>
{% for r in tab.rows %}<tr data-kpi="{{ r.kpi }}"><td title="{{ r.definition }}">{{ r.name }}{% if r.unit %} <span class="unit">{{ r.unit }}</span>{% endif %}</td>
<td class="num" data-policy="{{ tab.policy }}" data-kpi="{{ r.kpi }}" data-mean="{{ r.mean_raw }}">{{ r.mean }}</td><td class="num" data-ci-low="{{ r.ci_low_raw }}" data-ci-high="{{ r.ci_high_raw }}">{{ r.ci }}</td>
{% if not tab.baseline %}<td class="num" data-policy="{{ tab.policy }}" data-kpi="{{ r.kpi }}" data-diff="{{ r.diff_raw }}">{{ r.diff }}</td><td class="num">{{ r.dci }}</td><td><span class="v {{ r.verdict_class }}">{{ r.verdict }}</span></td>{% endif %}</tr>
{% endfor %}</tbody></table></div>
{% endfor %}
</section>

<section id="charts">
<h2>{{ heading.charts }}</h2>
{% for chart in charts %}<figure id="{{ chart.id }}">
<h3>{{ chart.title }}</h3>
<img src="data:image/png;base64,{{ chart.png }}" alt="{{ chart.alt }}">
<figcaption>{{ chart.caption }}</figcaption>
</figure>
{% endfor %}
{% if tornado %}<figure id="{{ tornado.id }}">
<h3>{{ tornado.title }}</h3>
<img src="data:image/png;base64,{{ tornado.png }}" alt="{{ tornado.alt }}">
<figcaption>{{ tornado.caption }}</figcaption>
</figure>
<div class="tablewrap"><table class="sensitivity">
<thead><tr>{% for h in tornado.headers %}<th{% if not loop.first %} class="num"{% endif %}>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in tornado.rows %}<tr><td><code>{{ r.parameter }}</code></td><td class="num">{{ r.low }}</td><td class="num">{{ r.high }}</td><td class="num">{{ r.at_low }}</td><td class="num">{{ r.at_high }}</td><td class="num">{{ r.swing }}</td></tr>
{% endfor %}</tbody></table></div>
{% else %}<p class="unit" id="no-tornado">{{ t("chart.no_tornado") }}</p>{% endif %}
</section>

{% if verdict %}<section id="verdict">
<h2>{{ heading.verdict }}</h2>
{{ verdict }}
</section>{% endif %}

<section id="loyalty">
<h2>{{ heading.loyalty }}</h2>
<p>{{ loyalty.intro }}</p>
<h3 id="loyalty-table">{{ t("loy.table") }}</h3>
<p class="unit">{{ loyalty.table_note }}</p>
<div class="tablewrap"><table class="glance loyalty">
<thead><tr><th>{{ t("pol.name") }}</th>
{% for kpi, name, unit in loyalty.table.kpis %}<th class="num">{{ name }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in loyalty.table.rows %}<tr data-policy="{{ row.policy }}"><td><strong>{{ row.name }}</strong>{% if row.baseline and row.name != t("pol.baseline_mark") %}<span class="badge">{{ t("pol.baseline_mark") }}</span>{% endif %}</td>
{% for cell in row.cells %}<td class="num" data-kpi="{{ cell.kpi }}" data-mean="{{ cell.mean_raw }}">{{ cell.mean }}{% if cell.diff is defined %}<span class="d {{ cell.verdict_class }}" title="{{ cell.verdict }}">{{ cell.diff }}</span>{% endif %}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></div>
{% if loyalty.unmeasured %}<p class="unit" id="loyalty-unmeasured">{{ loyalty.unmeasured }}</p>{% endif %}
{% if "repeat" in loyalty.charts %}{% set chart = loyalty.charts.repeat %}<figure id="{{ chart.id }}">
<h3>{{ chart.title }}</h3>
<img src="data:image/png;base64,{{ chart.png }}" alt="{{ chart.alt }}">
<figcaption>{{ chart.caption }}</figcaption>
</figure>{% endif %}
<h3 id="customer-value">{{ t("loy.value_title") }}</h3>
<p>{{ loyalty.value }}</p>
{% if "value" in loyalty.charts %}{% set chart = loyalty.charts.value %}<figure id="{{ chart.id }}">
<h3>{{ chart.title }}</h3>
<img src="data:image/png;base64,{{ chart.png }}" alt="{{ chart.alt }}">
<figcaption>{{ chart.caption }}</figcaption>
</figure>{% endif %}
<p class="unit">{{ loyalty.caveat }}</p>
</section>

<section id="assumptions">
<h2>{{ heading.assumptions }}</h2>
{% if assumptions.description %}<h3>{{ t("as.description") }}</h3>
<p class="desc">{{ assumptions.description }}</p>{% endif %}
<h3>{{ t("as.header") }}</h3>
{% if assumptions.notes %}<p class="unit">{{ t("as.header_note", file=assumptions.file) }}</p>
<pre class="notes" id="scenario-notes">{{ assumptions.notes }}</pre>
{% else %}<p>{{ t("as.no_header") }}</p>{% endif %}
<h3>{{ t("as.key") }}</h3>
<div class="tablewrap"><table class="keyinputs">
<thead><tr><th>{{ t("as.col.parameter") }}</th><th>{{ t("pol.id") }}</th><th class="num">{{ t("as.col.value") }}</th></tr></thead>
<tbody>{% for name, path, value in assumptions.key %}<tr><td>{{ name }}</td><td><code>{{ path }}</code></td><td class="num">{{ value }}</td></tr>
{% endfor %}</tbody></table></div>
<h3>{{ t("as.products") }}</h3>
<div class="tablewrap"><table class="products">
<thead><tr><th>{{ t("as.prod.name") }}</th><th class="num">{{ t("as.prod.price") }}</th><th class="num">{{ t("as.prod.cost") }}</th><th class="num">{{ t("as.prod.share") }}</th><th class="num">{{ t("as.prod.defect") }}</th><th class="num">{{ t("as.prod.mismatch") }}</th><th class="num">{{ t("as.prod.whim") }}</th></tr></thead>
<tbody>{% for p in assumptions.products %}<tr><td>{{ p.name }}</td><td class="num">{{ p.price }}</td><td class="num">{{ p.cost }}</td><td class="num">{{ p.share }}</td><td class="num">{{ p.defect }}</td><td class="num">{{ p.mismatch }}</td><td class="num">{{ p.whim }}</td></tr>
{% endfor %}</tbody></table></div>
<h3 id="parameter-diff">{{ t("as.diff") }}</h3>
{% if assumptions.diff %}<p class="unit">{{ t("as.diff_note") }}</p>
<div class="tablewrap"><table class="paramdiff">
<thead><tr><th>{{ t("as.col.parameter") }}</th>{% for id, name in policy_names %}<th class="num">{{ name }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in assumptions.diff %}<tr data-path="{{ row.path }}"><td><code>{{ row.path }}</code></td>{% for cell in row.cells %}<td class="num{% if cell.changed %} changed{% endif %}">{{ cell.text }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></div>
{% else %}<p>{{ t("as.no_diff") }}</p>{% endif %}
{% if assumptions.overrides %}<p>{{ t("as.overrides", items=assumptions.overrides) }}</p>{% endif %}
</section>

<section id="stress">
<h2>{{ heading.stress }}</h2>
<p>{{ stress.intro }}</p>
<h3>{{ t("st.1") }}</h3>
<h4>{{ t("st.1.1") }}</h4><p>{{ stress.purpose }}</p>
<h4>{{ t("st.1.2") }}</h4><p>{{ stress.outputs_intro }}</p>
<div class="tablewrap"><table class="outputs">
<thead><tr><th>{{ t("st.kpi.name") }}</th><th>{{ t("pol.id") }}</th><th>{{ t("st.kpi.unit") }}</th><th>{{ t("st.kpi.def") }}</th></tr></thead>
<tbody>{% for name, kpi, unit, definition in stress.outputs %}<tr><td>{{ name }}</td><td><code>{{ kpi }}</code></td><td>{{ unit }}</td><td>{{ definition }}</td></tr>
{% endfor %}</tbody></table></div>
<h4>{{ t("st.1.3") }}</h4><p>{{ stress.aims }}</p>
<h3>{{ t("st.2") }}</h3>
<h4>{{ t("st.2.1") }}</h4><p>{{ t("st.2.1.text") }}</p>
<ol class="flow">{% for name, what in stress.flow %}<li><strong>{{ name }}</strong><span>{{ what }}</span></li>{% endfor %}</ol>
<h4>{{ t("st.2.2") }}</h4><p>{{ stress.logic }}</p>
<h4>{{ t("st.2.3") }}</h4><p>{{ stress.scenario_logic }}</p>
<h4>{{ t("st.2.4") }}</h4><p>{{ t("st.2.4.text") }}</p>
<h4>{{ t("st.2.5") }}</h4><ul class="plain">{% for item in stress.components %}<li>{{ item }}</li>{% endfor %}</ul>
<h3>{{ t("st.3") }}</h3>
<h4>{{ t("st.3.1") }}</h4><ul class="plain">{% for item in stress.data %}<li>{{ item }}</li>{% endfor %}</ul>
<h4>{{ t("st.3.2") }}</h4><p>{{ t("st.3.2.text") }}</p>
<h4>{{ t("st.3.3") }}</h4><p>{{ stress.inputs }}</p>
<h4>{{ t("st.3.4") }}</h4><p>{{ stress.assumptions_intro }}</p><ul class="plain">{% for item in stress.assumptions %}<li>{{ item }}</li>{% endfor %}</ul>
<h3>{{ t("st.4") }}</h3>
<h4>{{ t("st.4.1") }}</h4><p>{{ stress.init }}</p>
<h4>{{ t("st.4.2") }}</h4><p>{{ stress.runlength }}</p>
<h4>{{ t("st.4.3") }}</h4><p>{{ stress.estimation }}</p>
<h3>{{ t("st.5") }}</h3>
<h4>{{ t("st.5.1") }}</h4><p>{{ stress.software }}</p>
<h4>{{ t("st.5.2") }}</h4><p>{{ stress.random }}</p>
<h4>{{ t("st.5.3") }}</h4><p>{{ stress.execution }}</p>
<h4>{{ t("st.5.4") }}</h4><p>{{ stress.system }}</p>
<h3>{{ t("st.6") }}</h3><p>{{ stress.code }}</p>
</section>
</main>

<footer class="repro" id="repro">
<h2>{{ heading.repro }}</h2>
<dl>
<dt>{{ t("ft.version") }}</dt><dd>{{ footer.version }}; {{ t("ft.python") }} {{ footer.python }}</dd>
<dt>{{ t("ft.file") }}</dt><dd><code>{{ footer.file }}</code>{% if footer.sha %}<br>{{ t("ft.sha") }}: <code>{{ footer.sha }}</code>{% endif %}</dd>
<dt>{{ t("ft.hashes") }}</dt><dd>{% for name, id, h in footer.hashes %}<span data-policy="{{ id }}">{{ name }}: <code class="hash">{{ h }}</code></span>{% if not loop.last %}<br>{% endif %}{% endfor %}</dd>
<dt>{{ t("ft.seed") }}</dt><dd id="seed">{{ footer.seed }}</dd>
<dt>{{ t("ft.streams") }}</dt><dd>{{ footer.streams }}</dd>
<dt>{{ t("ft.command") }}</dt><dd>{% if footer.command %}<pre id="command">{{ footer.command }}</pre>{% else %}{{ t("ft.no_command") }}{% endif %}</dd>
<dt>{{ t("ft.generated") }}</dt><dd>{{ footer.generated }}</dd>
</dl>
</footer>
</div>
</body>
</html>
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=False,
                   keep_trailing_newline=True)
_TEMPLATE = _ENV.from_string(TEMPLATE)


def render(content: dict[str, Any]) -> str:
    """The HTML page of a report's content (see :func:`sim.report.builder.report_content`)."""
    return _TEMPLATE.render(css=Markup(CSS), **content)
