"""The page template of the fit report and the styles it adds to the scenario report's.

The page is rendered with Jinja2 autoescaping, so every value is escaped, ours and the export's
alike. Its words are in :mod:`sim.present.words.calibration` (``t("KEY")`` looks up ``calib.KEY``).
"""

# ruff: noqa: E501  (the HTML template keeps its long lines)

from __future__ import annotations

from ..present.page import PAGE_HEAD

_EXTRA_CSS = """
.v.fits { color:#1a7f37; font-weight:600; } .v.misses { color:#c62828; font-weight:600; }
.v.no-data { color:#6e7781; }
ul.targets li.fits { color:#1a7f37; } ul.targets li.misses { color:#c62828; }
ul.targets li { font-weight:600; }
table.validation { font-size:0.84rem; }
table.validation td:first-child { min-width:14em; }
table.validation td.dist { white-space:normal; min-width:7.5em; font-size:0.78rem;
  text-align:left; }
tr.group td { background:#eef3f8 !important; font-weight:600; }
ul.misses li { margin:4px 0; }
.attribution { color:#59636e; font-size:0.86rem; }
td.method { font-size:0.82rem; color:#3d444d; max-width:26em; }
"""

TEMPLATE = PAGE_HEAD + r"""<meta name="generator" content="aftersales-sim {{ version }}">
<title>{{ title }}</title>
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
{% if attribution %}<p class="attribution" id="attribution">{{ attribution }}</p>{% endif %}
</header>

<nav class="toc"><strong>{{ t("contents") }}</strong><ol>
{% for id, name in sections %}<li><a href="#{{ id }}">{{ name }}</a></li>
{% endfor %}</ol></nav>

<main>
<section id="summary" class="summary">
<h2>{{ t("sec.summary") }}</h2>
{% if validation %}
<p>{{ summary.count }}</p>
<p><strong>{{ t("sum.targets") }}</strong></p>
<ul class="plain targets" id="targets">{% for line, verdict in summary.targets %}<li class="{{ verdict }}">{{ line }}</li>{% endfor %}</ul>
<p><strong>{{ t("sum.misses") }}</strong></p>
{% if summary.misses %}<ul class="plain misses" id="misses">{% for line in summary.misses %}<li>{{ line }}</li>{% endfor %}</ul>
{% else %}<p>{{ t("sum.no_misses") }}</p>{% endif %}
{% if summary.notes %}<p><strong>{{ t("sum.notes") }}</strong></p><ul class="plain">{% for n in summary.notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
{% else %}<p id="no-holdout">{{ t("sum.no_holdout") }}</p>{% endif %}
</section>

{% if validation %}
<section id="validation">
<h2>{{ t("sec.validation") }}</h2>
<p>{{ validation.intro }}</p>
<div class="tablewrap"><table class="validation" id="validation-table">
<thead><tr><th>{{ t("col.stat") }}</th><th class="num">{{ t("col.sim") }}</th><th class="num">{{ t("col.sim_ci") }}</th><th class="num">{{ t("col.obs") }}</th><th class="num">{{ t("col.obs_ci") }}</th><th class="num">{{ t("col.n") }}</th><th class="num">{{ t("col.dist") }}</th><th>{{ t("col.verdict") }}</th><th>{{ t("col.inside") }}</th></tr></thead>
<tbody>
{% for group, rows in validation.groups %}<tr class="group"><td colspan="9">{{ group }}</td></tr>
{% for r in rows %}<tr data-stat="{{ r.name }}"><td>{{ r.label }}</td><td class="num{% if r.dist %} dist{% endif %}">{{ r.sim }}</td><td class="num">{{ r.sim_ci }}</td><td class="num{% if r.dist %} dist{% endif %}">{{ r.obs }}</td><td class="num">{{ r.obs_ci }}</td><td class="num">{{ r.n }}</td><td class="num">{{ r.distance }}</td><td><span class="v {{ r.verdict_class }}">{{ r.verdict }}</span></td><td>{{ r.inside }}</td></tr>
{% endfor %}{% endfor %}</tbody></table></div>
</section>
{% endif %}

<section id="repeat">
<h2>{{ t("sec.repeat") }}</h2>
<p>{{ repeat.intro }}</p>
{% if repeat.none %}<p id="repeat-none">{{ repeat.none }}</p>{% else %}
{% if repeat.partial %}<p>{{ repeat.partial }}</p>{% endif %}
<div class="tablewrap"><table class="fitted" id="repeat-params">
<thead><tr><th>{{ t("rep.col.param") }}</th><th class="num">{{ t("rep.col.estimate") }}</th><th class="num">{{ t("rep.col.se") }}</th><th class="num">{{ t("rep.col.ci") }}</th></tr></thead>
<tbody>{% for p in repeat.params %}<tr><td>{{ p.label }}<span class="id"><code>{{ p.key }}</code></span></td><td class="num">{{ p.estimate }}</td><td class="num">{{ p.se }}</td><td class="num">{{ p.ci }}</td></tr>
{% endfor %}</tbody></table></div>
<h3>{{ t("rep.implied") }}</h3>
<ul class="plain">{% for i in repeat.implied %}<li>{{ i.label }}: {{ i.value }} ({{ i.ci }})</li>{% endfor %}</ul>
{% endif %}
{% if repeat.check %}<h3>{{ t("rep.check") }}</h3>
<p>{{ repeat.check.intro }}</p>
<div class="tablewrap"><table class="validation" id="repeat-check">
<thead><tr><th>{{ t("rep.col.what") }}</th><th class="num">{{ t("rep.col.predicted") }}</th><th class="num">{{ t("rep.col.ci") }}</th><th class="num">{{ t("rep.col.observed") }}</th><th>{{ t("col.verdict") }}</th></tr></thead>
<tbody>{% for r in repeat.check.rows %}<tr><td>{{ r.what }}</td><td class="num">{{ r.predicted }}</td><td class="num">{{ r.ci }}</td><td class="num">{{ r.observed }}</td><td><span class="v {{ r.verdict_class }}">{{ r.verdict }}</span></td></tr>
{% endfor %}</tbody></table></div>
<p>{{ t("rep.by_x") }}</p>
<div class="tablewrap"><table class="validation" id="repeat-by-x">
<thead><tr><th>{{ t("rep.col.group") }}</th><th class="num">{{ t("rep.col.customers") }}</th><th class="num">{{ t("rep.col.predicted") }}</th><th class="num">{{ t("rep.col.observed") }}</th></tr></thead>
<tbody>{% for g in repeat.check.by_x %}<tr><td>{{ g.group }}</td><td class="num">{{ g.customers }}</td><td class="num">{{ g.predicted }}</td><td class="num">{{ g.observed }}</td></tr>
{% endfor %}</tbody></table></div>
{% elif repeat.no_check %}<p>{{ repeat.no_check }}</p>{% endif %}
</section>

<section id="charts">
<h2>{{ t("sec.charts") }}</h2>
{% for chart in charts %}<figure id="{{ chart.id }}">
<h3>{{ chart.title }}</h3>
<img src="data:image/png;base64,{{ chart.png }}" alt="{{ chart.title }}">
<figcaption>{{ chart.caption }}</figcaption>
</figure>
{% endfor %}
</section>

<section id="fitted">
<h2>{{ t("sec.fitted") }}</h2>
<p>{{ t("fit.intro") }}</p>
<div class="tablewrap"><table class="fitted" id="fitted-table">
<thead><tr><th>{{ t("col.param") }}</th><th class="num">{{ t("col.value") }}</th><th class="num">{{ t("col.ci") }}</th><th class="num">{{ t("col.rows") }}</th><th>{{ t("col.period") }}</th><th>{{ t("col.method") }}</th><th>{{ t("col.status") }}</th></tr></thead>
<tbody>{% for f in fitted %}<tr><td>{{ f.label }}{% if f.key %}<span class="id"><code>{{ f.key }}</code></span>{% endif %}</td><td class="num">{{ f.value }}</td><td class="num">{{ f.ci }}</td><td class="num">{{ f.n }}</td><td>{{ f.period }}</td><td class="method">{{ f.method }}{% if f.note %}<br>{{ f.note }}{% endif %}</td><td>{{ f.status }}</td></tr>
{% endfor %}</tbody></table></div>
{% if fit_notes %}<h3>{{ t("notes.fit") }}</h3><ul class="plain">{% for n in fit_notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
</section>

<section id="defaults">
<h2>{{ t("sec.defaults") }}</h2>
<p>{{ t("def.intro") }}</p>
<div class="tablewrap"><table class="defaults">
<thead><tr><th>{{ t("col.section") }}</th><th>{{ t("col.fields") }}</th><th>{{ t("col.reason") }}</th></tr></thead>
<tbody>{% for sec, fields, reason in defaults %}<tr><td><code>{{ sec }}</code></td><td>{{ fields }}</td><td>{{ reason }}</td></tr>
{% endfor %}</tbody></table></div>
</section>

<section id="rows">
<h2>{{ t("sec.rows") }}</h2>
<p>{{ rows.intro }}</p>
{% if rows.issues %}<div class="tablewrap"><table class="accounting" id="accounting">
<thead><tr><th>{{ t("col.table") }}</th><th>{{ t("col.reason") }}</th><th class="num">{{ t("col.count") }}</th><th>{{ t("col.effect") }}</th></tr></thead>
<tbody>{% for i in rows.issues %}<tr><td>{{ i.table }}</td><td>{{ i.reason }}</td><td class="num">{{ i.count }}</td><td>{{ i.effect }}</td></tr>
{% endfor %}</tbody></table></div>{% else %}<p>{{ t("rows.none") }}</p>{% endif %}
</section>
</main>

<footer class="repro" id="repro">
<h2>{{ t("sec.repro") }}</h2>
<dl>
<dt>{{ t("ft.version") }}</dt><dd>aftersales-sim {{ version }}</dd>
<dt>{{ t("ft.scenario") }}</dt><dd><code>{{ scenario_path }}</code></dd>
<dt>{{ t("ft.command") }}</dt><dd>{% if command %}<pre id="command">{{ command }}</pre>{% else %}–{% endif %}</dd>
{% if seed is not none %}<dt>{{ t("ft.seed") }}</dt><dd>{{ seed }}</dd>{% endif %}
{% if attribution %}<dt>{{ t("ft.attribution") }}</dt><dd>{{ attribution }}</dd>{% endif %}
<dt>{{ t("ft.generated") }}</dt><dd>{{ generated }}</dd>
</dl>
</footer>
</div>
</body>
</html>
"""
