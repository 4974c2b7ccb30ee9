"""The report's section "What would change this verdict" (什么会改变这个结论).

For each headline verdict (each compared policy against the baseline) it shows the Morris
screening of the paired difference over the scenario's plausible ranges (a chart of mu* and its
table) and the break-even sentences: "this verdict flips if X is below V", or that an input does
not flip it within its range. The studies come from :func:`sim.experiment.verdict.what_would_change`
(``sim report --verdict`` runs them); the section is rendered here as one block of HTML, so the
page's template only places it.
"""

# ruff: noqa: E501  (the HTML template keeps its long lines)
from __future__ import annotations

from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from ..present import whatif
from ..present.page import png_base64
from ..present.words import word
from .parts import Parts

#: The section's id on the page; it comes after the charts when the report has it.
SECTION = "verdict"

_TEMPLATE = Environment(autoescape=True, undefined=StrictUndefined).from_string(r"""
<p>{{ intro }}</p>
{% if small %}<p class="unit" id="verdict-small">{{ small }}</p>{% endif %}
{% for s in studies %}<div class="verdict-study" data-policy="{{ s.policy }}">
<h3 id="verdict-{{ s.policy }}">{{ s.title }}</h3>
<p>{{ s.sentence }}</p>
{% if s.flips %}<ul class="flips">{% for f in s.flips %}<li>{{ f }}</li>{% endfor %}</ul>{% endif %}
{% if s.none_flip %}<p><strong>{{ s.none_flip }}</strong></p>{% endif %}
<figure id="chart-verdict-{{ s.policy }}">
<img src="data:image/png;base64,{{ s.png }}" alt="{{ s.title }}">
<figcaption>{{ s.caption }}</figcaption>
</figure>
<div class="tablewrap"><table class="screening" data-policy="{{ s.policy }}">
<thead><tr>{% for h in headers %}<th{% if not loop.first %} class="num"{% endif %}>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in s.rows %}<tr data-parameter="{{ r.parameter }}"><td><code>{{ r.parameter }}</code></td><td class="num">{{ r.range }}</td><td class="num">{{ r.value }}</td><td class="num">{{ r.mu_star }}</td><td class="num">{{ r.sigma }}</td></tr>
{% endfor %}</tbody></table></div>
{% for note in s.skipped %}<p class="unit">{{ note }}</p>{% endfor %}
</div>
{% endfor %}""")


def section_title(lang: str) -> Markup:
    return Markup.escape(word("flip.sec", lang))


def verdict_section(page: Parts, studies: list[Any], charts: bool = True) -> Markup:
    """The section's HTML for ``studies`` (one per compared policy), in the page's language."""
    lang = page.lang

    def fill(key: str, **fields: Any) -> Markup:
        return Markup(word(f"flip.{key}", lang)).format(**fields)

    def param(path: str) -> Markup:
        return Markup("<code>{}</code>").format(path)

    first = studies[0]
    blocks = []
    for s in studies:
        flips = whatif.break_even_sentences(s, lang, fill, param)
        flipping = [f for f, b in zip(flips, _flip_rows(s), strict=True) if b]
        steady = [f for f, b in zip(flips, _flip_rows(s), strict=True) if not b]
        title = Markup("{} · {}").format(page.pname(s.policy), page.bref())
        blocks.append({
            "policy": s.policy, "title": title,
            "sentence": whatif.verdict_sentence(s, lang, fill, page.pstrong(s.policy),
                                                page.bref()),
            "flips": [_capital(f, lang) for f in flipping] + steady,
            "none_flip": (fill("rep.none_flip", top=len(s.break_evens))
                          if s.break_evens and not flipping else ""),
            "png": png_base64(whatif.mu_star_chart(s, lang)) if charts else "",
            "caption": fill("rep.chart.cap", kpi=whatif.kpi_words(s.kpi, lang)),
            "rows": whatif.screening_rows(s, lang),
            "skipped": whatif.skipped_sentences(s, lang, fill, param)})
    intro = fill("rep.intro", baseline=page.bref(), kpi=whatif.kpi_words(first.kpi, lang),
                 trajectories=first.trajectories, reps=first.reps, runs=first.runs,
                 top=len(first.break_evens))
    small = (fill("rep.small", reps=first.reps)
             if first.reps < 5 or first.trajectories < 4 else "")
    headers = [word(f"flip.rep.col.{c}", lang)
               for c in ("parameter", "range", "value", "mu_star", "sigma")]
    return Markup(_TEMPLATE.render(intro=intro, small=small, studies=blocks, headers=headers))


def _flip_rows(study: Any) -> list[bool]:
    """For each break-even sentence, whether it says the verdict flips."""
    out = []
    for b in study.break_evens:
        out += [True] * len(b.flips) if b.flips else [False]
    return out


def _capital(text: Markup, lang: str) -> Markup:
    """A sentence that starts a list item starts with a capital (English)."""
    if lang != "en" or not text:
        return text
    return Markup(text[0].upper()) + text[1:]
