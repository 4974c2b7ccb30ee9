"""Scenario reports (sim.report): content, numbers, languages, escaping, files, a real browser.

One small study (a tiny flat shop, a month, three policies, three replications, serial) is run
once per module; its reports in English and Chinese are checked for

1. every section, in the order of the issue, and every chart; the loyalty section (repeat
   curves, the value of the customer base and what it means) and the summary's paragraph on it;
2. numbers: each KPI table cell carries the comparison's value (``data-*``) and shows it
   formatted by the report's rules; the summary names the winners with their numbers;
3. a full Chinese translation (same keys, no English headings left) and the number conventions;
4. escaping: a scenario named ``<script>alert(1)</script>`` and policies and notes full of HTML
   show as text, and the page references nothing outside itself;
5. the Excel workbook and the ``sim report`` command (reuse of stored results, errors);
6. headless Chromium (Debian's ``chromium``; ``scripts/setup-browser.sh`` installs it): the page
   loads without console errors, every chart image decodes, screenshots in both languages.
   Skipped, with the reason, when no Chromium is installed.
"""

from __future__ import annotations

import html as html_lib
import io
import os
import re
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sim.cli import main
from sim.experiment import Executor, compare
from sim.model.kpis import KPIS
from sim.present import numbers
from sim.present.numbers import YUAN
from sim.present.words import WORDS, kpi_name, word
from sim.report import ReportMeta, browser, build_report, report_content
from sim.report.parts import UNITS
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
#: The report's texts (words ``report.KEY``), by language.
EN, ZH = ({k.removeprefix("report."): v for k, v in WORDS[lang].items()
           if k.startswith("report.")} for lang in ("en", "zh"))
EVIL_NAME = "<script>alert(1)</script>"
EVIL_POLICY = "free<returns>"
CHART_IDS = ("chart-money", "chart-diff", "chart-cost", "chart-rating", "chart-negrep",
             "chart-tradeoff", "chart-repeat", "chart-value")
SECTION_IDS = ("summary", "policies", "kpis", "charts", "loyalty", "assumptions", "stress",
               "repro")
POLICIES = ["baseline", "seven_day_return", EVIL_POLICY]

#: A tiny shop whose author typed HTML everywhere a person can type.
TOML = f"""\
# =====================================================================
# A tiny test shop <b>bold?</b> & "quotes"
# =====================================================================
# Sources: FACTS.md (M) -- <img src=x onerror=alert(3)>

[scenario]
name = "{EVIL_NAME}"
description = "A <em>tiny</em> shop & friends <img src=x onerror=alert(2)>"
platform = "taobao"
start_date = 2025-03-01
horizon_days = 30
warmup_days = 5

[calendar]
peaks = []
trend_per_year = 0.0
weekday_factors = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]

[market]
daily_visitors = 700.0
base_conversion = 0.03

[[shop.products]]
name = "widget <i>deluxe</i>"
price = 100.0
unit_cost = 40.0

[policies."{EVIL_POLICY}"]
description = "Seller pays the return leg <script>alert(4)</script>"
description_zh = "卖家承担退货运费 <script>alert(5)</script>"
policy.returns.return_shipping_payer = "seller"
policy.returns.advertise = true
"""


class Cells(HTMLParser):
    """Collects elements with ``data-*`` attributes, their text, and ids in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.cells: list[dict] = []
        self.tables: list[str | None] = []
        self._open: list[dict] = []
        self.images: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "table":
            self.tables.append(a.get("data-policy"))
        if tag == "img":
            self.images.append(a.get("src", ""))
        for key in ("href", "src"):
            if key in a:
                self.links.append(a[key])
        if tag in ("td", "tr"):
            self._open.append({"tag": tag, "attrs": a, "text": "",
                               "table": self.tables[-1] if self.tables else None})

    def handle_endtag(self, tag):
        if tag in ("td", "tr") and self._open:
            for i in range(len(self._open) - 1, -1, -1):
                if self._open[i]["tag"] == tag:
                    self.cells.append(self._open.pop(i))
                    break

    def handle_data(self, data):
        for cell in self._open:
            cell["text"] += data


def parse(page: str) -> Cells:
    parser = Cells()
    parser.feed(page)
    return parser


# ------------------------------------------------------------------------------------------------
# The study, run once
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def study(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    path = root / "tiny.toml"
    path.write_text(TOML, encoding="utf-8")
    file = load_scenario(path)
    comparison = compare(file, POLICIES, reps=3, seed=11, executor=Executor("serial"),
                         store=root / "store", progress=False)
    meta = ReportMeta(command=f"sim report {path} --reps 3", executor="serial",
                      store=str(root / "store"))
    pages = {lang: build_report(comparison, file, lang=lang, meta=meta) for lang in ("en", "zh")}
    return {"root": root, "path": path, "file": file, "comparison": comparison, "meta": meta,
            "pages": pages}


@pytest.fixture(scope="module", params=["en", "zh"])
def page(request, study):
    return request.param, study["pages"][request.param]


# ------------------------------------------------------------------------------------------------
# 1. Sections
# ------------------------------------------------------------------------------------------------
def test_every_section_and_chart_in_order(page):
    lang, text = page
    ids = parse(text).ids
    positions = [ids.index(s) for s in SECTION_IDS]
    assert positions == sorted(positions), "sections out of order"
    for chart in CHART_IDS:
        assert chart in ids
    assert ids.index("summary") < ids.index("chart-money") < ids.index("assumptions")
    assert "no-tornado" in ids  # no sensitivity run in this study: said so
    assert "parameter-diff" in ids and "command" in ids and "seed" in ids
    # sources are cited inside the project, never the developers' shared folder
    assert "docs/FACTS.md" in text and "docs/MODEL.md" in text and "shared/" not in text
    t = EN if lang == "en" else ZH
    for key in ("st.1", "st.1.1", "st.1.2", "st.1.3", "st.2", "st.2.1", "st.2.2", "st.2.3",
                "st.2.4", "st.2.5", "st.3", "st.3.1", "st.3.2", "st.3.3", "st.3.4", "st.4",
                "st.4.1", "st.4.2", "st.4.3", "st.5", "st.5.1", "st.5.2", "st.5.3", "st.5.4",
                "st.6"):
        assert f">{t[key]}<" in text, key


def test_charts_are_embedded_pngs(page):
    _, text = page
    images = parse(text).images
    assert len(images) == len(CHART_IDS)
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert len(src) > 5000


def test_sensitivity_adds_a_tornado_chart(study):
    import pandas as pd

    table = pd.DataFrame({"parameter": ["market.base_conversion", "shop.dispatch.daily_capacity"],
                          "low": [0.02, 200], "high": [0.04, 600],
                          "kpi_at_low": [1000.0, 2000.0], "kpi_at_high": [3000.0, 2100.0],
                          "base": [2050.0, 2050.0], "swing": [2000.0, 100.0]})
    table.attrs["kpi"] = "profit"
    content = report_content(study["comparison"], study["file"], lang="en", sensitivity=table,
                             meta=study["meta"])
    assert content["tornado"] is not None
    assert [r["at_low"] for r in content["tornado"]["rows"]] == ["¥1,000", "¥2,000"]
    from sim.report.html import render

    ids = parse(render(content)).ids
    assert "chart-tornado" in ids and "no-tornado" not in ids


def _section(text: str, sid: str, next_sid: str) -> str:
    return text.split(f'<section id="{sid}">', 1)[1].split(f'<section id="{next_sid}">', 1)[0]


def test_loyalty_section(page, study):
    """Repeat curves, the value of the customer base with its numbers, and what it means, in
    the page's language, numbered after the charts."""
    lang, text = page
    t = EN if lang == "en" else ZH
    section = _section(text, "loyalty", "assumptions")
    assert f">5. {t['sec.loyalty']}</h2>" in section
    assert f">6. {t['sec.assumptions']}</h2>" in text
    ids = parse(section).ids
    assert {"chart-repeat", "chart-value", "loyalty-table", "customer-value"} <= set(ids)
    assert "<code>customer_value</code>" in section and "<code>long_run_value</code>" in section
    assert "10%" in section  # the scenario's discount rate, as its author wrote it
    # the table: the comparison's own values of the customer base, per policy
    table = study["comparison"].table().set_index(["kpi", "policy"])
    cells = [c for c in parse(section).cells if c["tag"] == "td" and "data-kpi" in c["attrs"]]
    shown = {c["attrs"]["data-kpi"] for c in cells}
    assert {"customer_value", "long_run_value"} <= shown
    for cell in cells:
        kpi = cell["attrs"]["data-kpi"]
        values = table.xs(kpi, level="kpi")["mean"]
        assert float(cell["attrs"]["data-mean"]) in set(values)
    # a month-long study with a 5-day warm-up measures no repeat window, and says so
    assert not any(k.startswith("repeat_within_") for k in shown)
    assert 'id="loyalty-unmeasured"' in section
    assert all(str(w) in section.split('id="loyalty-unmeasured"')[1].split("</p>")[0]
               for w in (90, 180, 365))


def test_new_kpis_in_the_tables(page, study):
    """The glance table and every policy's table show the customer base; unmeasured repeat
    windows (zero for want of buyers) are left out rather than shown as 0%."""
    _, text = page
    kpis_section = _section(text, "kpis", "charts")
    glance = kpis_section.split('id="glance"', 1)[1].split("</table>", 1)[0]
    for kpi in ("customer_value", "long_run_value"):
        assert f'data-kpi="{kpi}"' in glance
        assert kpis_section.count(f'<tr data-kpi="{kpi}">') == len(POLICIES)
    assert "repeat_within_" not in kpis_section


def test_summary_values_the_customer_base(page, study):
    lang, text = page
    summary = text.split('id="summary"', 1)[1].split('id="policies"', 1)[0]
    table = study["comparison"].table(["customer_value"]).set_index("policy")["mean"]
    winner = table.idxmax()
    assert numbers.money_words(float(table[winner]), lang, symbol=YUAN) in summary
    marker = "Value of the customer base." if lang == "en" else "客户资产。"
    assert marker in summary
    verdict = ("does not change the profit verdict", "changes the profit verdict") if (
        lang == "en") else ("利润的结论不变", "利润的结论就变了")
    assert any(v in summary for v in verdict)


def test_summary_says_when_the_customer_base_changes_the_verdict(study):
    """A policy that earns less in the period but leaves a much more valuable customer base
    wins on long-run value: the summary says the verdict changes, with the difference."""
    import copy

    comparison = copy.copy(study["comparison"])
    kpis = comparison.kpis.copy()
    profit = kpis[kpis["kpi"] == "profit"].groupby("policy")["value"].mean()
    loser = profit.idxmin()
    boost = (kpis["policy"] == loser) & kpis["kpi"].isin(["customer_value", "long_run_value"])
    kpis.loc[boost, "value"] += 10 * float(profit.abs().max())
    comparison.__dict__["kpis"] = kpis  # the cached frame the report reads
    for lang, says in (("en", "changes the profit verdict"), ("zh", "利润的结论就变了")):
        page = build_report(comparison, study["file"], lang=lang, meta=study["meta"],
                            charts=False)
        summary = page.split('id="summary"', 1)[1].split('id="policies"', 1)[0]
        assert says in summary
        assert html_lib.escape(loser) in summary or word(f"policy.{loser}", lang) in summary


# ------------------------------------------------------------------------------------------------
# 2. Numbers
# ------------------------------------------------------------------------------------------------
def assert_shows(text: str, expected: float, unit: str) -> None:
    """``text`` is ``expected`` written to as many decimals as it shows (money with ¥ and
    separators, shares in % or percentage points)."""
    text = text.strip()
    if unit.startswith("yuan"):
        assert "¥" in text, text
    number = re.sub(r"[¥,%+\s]|pp|个百分点", "", text)
    decimals = len(number.split(".")[1]) if "." in number else 0
    scale = 100.0 if unit == "share" else 1.0
    assert float(number) == pytest.approx(expected * scale, abs=0.5 * 10**-decimals + 1e-12), \
        (text, expected)


def test_kpi_tables_show_the_comparison_numbers(page, study):
    """Every mean and difference cell of the per-policy tables: the comparison's own number in
    ``data-*``, shown as the report's rules format it."""
    _, text = page
    table = study["comparison"].table().set_index(["kpi", "policy"])
    cells = [c for c in parse(text).cells if c["tag"] == "td" and "data-policy" in c["attrs"]]
    means = [c for c in cells if "data-mean" in c["attrs"]]
    diffs = [c for c in cells if "data-diff" in c["attrs"]]
    assert len(means) >= 3 * 18 and len(diffs) >= 2 * 18
    for cell in means + diffs:
        a = cell["attrs"]
        kpi, policy = a["data-kpi"], html_lib.unescape(a["data-policy"])
        diff = "data-diff" in a
        expected = float(table.loc[(kpi, policy), "diff_mean" if diff else "mean"])
        assert float(a["data-diff" if diff else "data-mean"]) == expected
        assert_shows(cell["text"], expected, UNITS[kpi])
    shown = {(c["attrs"]["data-kpi"], html_lib.unescape(c["attrs"]["data-policy"]))
             for c in means}
    assert {(k, p) for k in ("profit", "rating_mean", "repeat_purchase_rate",
                             "negative_review_share", "aftersales_cost") for p in POLICIES} <= shown


def test_profit_row_of_each_policy(page, study):
    """Mean, interval and the difference's interval of profit, as the report formats them."""
    lang, text = page
    table = study["comparison"].table(["profit"]).set_index("policy")
    for policy in POLICIES:
        r = table.loc[policy]
        mean, ci = numbers.estimate(r["mean"], r["ci_low"], r["ci_high"], "yuan", lang,
                                    symbol=YUAN)
        assert f">{mean}<" in text and f">{ci}<" in text
        if policy != "baseline":
            diff, dci = numbers.estimate(r["diff_mean"], r["diff_ci_low"], r["diff_ci_high"],
                                         "yuan", lang, diff=True, symbol=YUAN)
            assert f">{diff}<" in text and f">{dci}<" in text


def test_summary_names_the_winners_with_their_numbers(page, study):
    lang, text = page
    c = study["comparison"]
    summary = text.split('id="summary"', 1)[1].split('id="policies"', 1)[0]
    table = c.table()
    for kpi in ("profit", "rating_mean", "repeat_purchase_rate"):
        rows = table[table["kpi"] == kpi].set_index("policy")["mean"]
        winner = rows.idxmax()
        mean = float(rows[winner])
        shown = (numbers.share(mean) if kpi == "repeat_purchase_rate" else
                 numbers.money_words(mean, lang, symbol=YUAN) if kpi == "profit" else
                 numbers.number(mean, "stars"))
        assert shown in summary, (kpi, shown)
    p_best = c.probability_best("profit")
    for policy, share in p_best.items():
        assert f"{share:.0%}" in summary, policy
    # plain statements of uncertainty: either "clear" or "not clear at this precision"
    marker = "not clear at this precision" if lang == "en" else "在当前精度下差异不明确"
    clear = "clear" if lang == "en" else "差异明确"
    assert marker in summary or clear in summary


def test_number_conventions():
    assert numbers.money(1234567.4, symbol=YUAN) == "¥1,234,567"
    assert numbers.money(-1234.5, signed=True, symbol=YUAN) == "-¥1,234"
    assert numbers.money(12.345, symbol=YUAN) == "¥12.35"
    assert numbers.money(2056, signed=True, symbol=YUAN) == "+¥2,056"
    assert numbers.money(2056, signed=True) == "+2,056"  # tables with a unit column: no sign
    assert numbers.money_words(1234567, "zh", symbol=YUAN) == "¥123.5万"
    assert numbers.money_words(74840, "zh", symbol=YUAN) == "¥7.48万"
    assert numbers.money_words(1234567, "en", symbol=YUAN) == "¥1,234,567"
    assert numbers.money_words(9876, "zh", symbol=YUAN) == "¥9,876"
    assert numbers.share(0.1234) == "12.3%"
    assert numbers.share(0.0042) == "0.42%"
    assert numbers.points(0.012, "en") == "+1.2 pp"
    assert numbers.points(0.012, "zh") == "+1.2 个百分点"
    assert numbers.points(-0.00001, "en") == "0.00 pp"  # rounds to zero: no sign
    assert numbers.interval(-4791, -867.1, "yuan", diff=True, symbol=YUAN) == "-¥4,791 to -¥867"
    assert numbers.interval(0.0027, 0.0104, "share", "zh") == "0.27% 至 1.04%"
    assert numbers.interval(-0.0013, 0.0016, "share", "en", diff=True) == "-0.13 to +0.16 pp"
    assert numbers.number(4.68412, "stars") == "4.684"
    assert numbers.number(12345.0, "orders") == "12,345"
    # an interval end that is not zero never shows as zero
    assert numbers.estimate(0.1, 0.03, 0.14, "reviews", diff=True) == ("+0.10", "+0.03 to +0.14")
    assert numbers.estimate(0.0, 0.0, 0.0, "days") == ("0", "0 to 0")
    import datetime as dt

    assert numbers.date(dt.date(2025, 3, 1), "en") == "1 March 2025"
    assert numbers.date(dt.date(2025, 3, 1), "zh") == "2025年3月1日"


# ------------------------------------------------------------------------------------------------
# 3. Chinese
# ------------------------------------------------------------------------------------------------
def test_both_languages_have_every_text():
    assert set(EN) == set(ZH)
    names = {"ft.python"}  # a proper name
    same = [k for k in EN if EN[k] == ZH[k] and re.search(r"[A-Za-z]{4,}", EN[k])
            and k not in names]
    assert same == [], f"untranslated: {same}"


def test_chinese_page_is_translated(study):
    zh = study["pages"]["zh"]
    assert '<html lang="zh-Hans">' in zh
    for key in ("sec.summary", "sec.kpis", "sec.charts", "sec.stress", "chart.rating",
                "kpi.col.verdict", "st.4.3", "ft.command"):
        assert f">{EN[key]}<" not in zh, key
    for kpi in ("profit", "negative_review_share", "repeat_purchase_rate"):
        assert kpi_name(kpi, "zh") in zh
    text = re.sub(r"<[^>]+>", " ", zh.split("<body>", 1)[1])
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
    chinese = len(re.findall(r"[\u4e00-\u9fff]", text))
    assert chinese > 3000
    # English words left are identifiers, names typed by the author, citations and numbers.
    assert "Executive summary" not in zh and "Replications per policy" not in zh


def test_chinese_page_uses_chinese_policy_descriptions(study):
    zh = study["pages"]["zh"]
    assert "卖家承担退货运费" in zh
    assert "7天无理由退货" in zh


# ------------------------------------------------------------------------------------------------
# 4. Escaping and self-containment
# ------------------------------------------------------------------------------------------------
def test_author_text_is_escaped(page):
    _, text = page
    assert "<script" not in text.lower()
    assert "<img src=x" not in text and "<em>tiny</em>" not in text
    assert "<i>deluxe</i>" not in text and "<b>bold?</b>" not in text
    assert html_lib.escape(EVIL_NAME) in text  # shown as text, in the title
    assert "&lt;img src=x onerror=alert(2)&gt;" in text
    assert html_lib.escape(EVIL_POLICY) in text
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert "&lt;script&gt;" in title


def test_page_references_nothing_outside_itself(page):
    _, text = page
    parsed = parse(text)
    for link in parsed.links:
        assert link.startswith(("data:", "#")), link
    assert not re.search(r"https?://", text)
    assert "@import" not in text and "url(" not in text
    assert "default-src 'none'" in text  # the CSP forbids scripts and network access


# ------------------------------------------------------------------------------------------------
# 5. Parameters, workbook, command
# ------------------------------------------------------------------------------------------------
def test_parameters_that_differ_between_policies(study):
    content = report_content(study["comparison"], study["file"], lang="en", charts=False,
                             meta=study["meta"])
    paths = {row["path"]: row for row in content["assumptions"]["diff"]}
    assert "policy.returns.return_shipping_payer" in paths
    assert "policy.returns.shipping_insurance" in paths  # seven_day_return
    cells = paths["policy.returns.return_shipping_payer"]["cells"]
    assert [c["text"] for c in cells] == ["buyer", "–", "seller"]
    assert "policy_name" not in paths and "scenario.name" not in paths
    assert "Sources: FACTS.md (M)" in content["assumptions"]["notes"]


def test_builder_refuses_a_scenario_that_was_not_simulated(study):
    from sim.scenario import set_path
    from sim.scenario.loader import ScenarioFile

    file = study["file"]
    other = ScenarioFile(file.source, set_path(file.raw, "market.daily_visitors", 900.0),
                         file.policies)
    with pytest.raises(ValueError, match="different scenario"):
        report_content(study["comparison"], other, charts=False)


def test_workbook(study, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from sim.report.xlsx import write_workbook

    content = report_content(study["comparison"], study["file"], lang="zh", charts=False,
                             meta=study["meta"])
    path = write_workbook(tmp_path / "r.xlsx", study["comparison"], content)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["说明", "比较", "每次重复的指标", "按类型的金额", "参数"]
    sheet = book["比较"]
    header = [c.value for c in sheet[1]]
    rows = {(r[0], r[1]): dict(zip(header, r, strict=False))
            for r in sheet.iter_rows(min_row=2, values_only=True)}
    table = study["comparison"].table()
    for r in table.itertuples():
        assert rows[(r.policy, r.kpi)]["均值"] == pytest.approx(r.mean, abs=0, rel=1e-12)
    reps = book["每次重复的指标"]
    assert reps.max_row == 1 + len(POLICIES) * 3


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_sim_report_command_writes_and_reuses(study, tmp_path):
    path = str(study["path"])
    store = str(tmp_path / "store")
    html_path = tmp_path / "out" / "r_zh.html"
    args = ["report", path, "--policies", "baseline,seven_day_return", "--reps", "2",
            "--executor", "serial", "--store", store, "--lang", "zh", "-o", str(html_path),
            "--xlsx"]
    code, _, err = run_cli(*args)
    assert code == 0, err
    assert html_path.is_file() and html_path.with_suffix(".xlsx").is_file()
    page = html_path.read_text(encoding="utf-8")
    assert "sim report" in page and "--reps 2" in page and "--lang zh" in page
    code, _out, err = run_cli(*args)  # second time: everything from the store
    assert code == 0 and word("cli.reused", "zh") in err  # said in the report's language


def test_sim_report_errors_are_one_line(study, tmp_path):
    code, _, err = run_cli("report", str(study["path"]), "--policies", "no_such_policy",
                           "--reps", "2", "--executor", "serial", "--no-store",
                           "-o", str(tmp_path / "x.html"))
    assert code == 2 and "no_such_policy" in err and "Traceback" not in err
    code, _, err = run_cli("report", str(study["path"]), "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and ".html" in err


def test_pdf_without_chromium_says_so(study, tmp_path, monkeypatch):
    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    code, _, err = run_cli("report", str(study["path"]), "--policies", "baseline",
                           "seven_day_return", "--reps", "2", "--executor", "serial",
                           "--store", str(tmp_path / "s"), "-o", str(tmp_path / "r.html"),
                           "--pdf")
    assert code == 2 and "Chromium" in err
    assert (tmp_path / "r.html").is_file()


# ------------------------------------------------------------------------------------------------
# 6. A real browser
# ------------------------------------------------------------------------------------------------
CHROMIUM = browser.find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium: run `sh scripts/setup-browser.sh` (Debian chromium "
                             "and fonts-noto-cjk) to run the browser tests")

#: Appended to a copy of the page (its CSP removed) to report, after loading, what the browser
#: made of the images and fonts. The report itself carries no script.
PROBE = """<script>
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var out = imgs.map(function (i) { return i.naturalWidth + "x" + i.naturalHeight; });
  var cjk = document.fonts && document.fonts.check("16px 'Noto Sans CJK SC'", "利润");
  var pre = document.createElement("pre"); pre.id = "probe";
  pre.textContent = JSON.stringify({images: out, complete: imgs.every(function (i) {
    return i.complete && i.naturalWidth > 0; }), cjk: cjk,
    height: document.documentElement.scrollHeight});
  document.body.appendChild(pre);
});
</script>"""


def _chinese_font_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


@needs_chromium
def test_report_in_headless_chromium(study, page, tmp_path):
    import json

    lang, text = page
    report = tmp_path / f"report_{lang}.html"
    report.write_text(text, encoding="utf-8")
    shots = Path(os.environ.get("SIM_REPORT_SHOTS", tmp_path))
    shot = shots / f"report_{lang}.png"
    run = browser.screenshot(report, shot, width=1280, height=2400)
    assert run.console_errors() == [], run.console_errors()
    from PIL import Image

    image = Image.open(shot).convert("L")
    assert image.size == (1280, 2400)
    extrema = image.getextrema()
    assert extrema[0] < 100 and extrema[1] > 200  # text on a white page, not a blank shot

    dom = browser.dump_dom(report)
    assert dom.console_errors() == [], dom.console_errors()
    assert 'id="chart-rating"' in dom.stdout and "<script" not in dom.stdout.lower()

    probe_page = tmp_path / f"probe_{lang}.html"
    probe_page.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
                          .replace("</body>", PROBE + "</body>"), encoding="utf-8")
    probed = browser.dump_dom(probe_page)
    found = re.search(r'<pre id="probe">(.*?)</pre>', probed.stdout, re.S)
    assert found, probed.stderr[-2000:]
    result = json.loads(html_lib.unescape(found.group(1)))
    assert result["complete"] and len(result["images"]) == len(CHART_IDS), result
    assert all(int(size.split("x")[0]) > 400 for size in result["images"]), result
    if lang == "zh":
        assert _chinese_font_installed(), ("no Chinese font for the browser: run "
                                           "`sh scripts/setup-browser.sh` (fonts-noto-cjk)")


@needs_chromium
def test_pdf_through_chromium(study, tmp_path):
    report = tmp_path / "r.html"
    report.write_text(study["pages"]["en"], encoding="utf-8")
    pdf = browser.print_pdf(report, tmp_path / "r.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 50_000


def test_kpi_metadata_is_complete():
    """Every KPI the tables may show has a unit the formatter knows."""
    for k in KPIS:
        assert numbers.value(1.0, k.unit, "en")


def test_the_summary_warns_when_assumed_penalties_weigh_on_the_result(study):
    """Penalty points rest on assumed rules: the summary says so when a policy collects them,
    and stays silent when none does."""
    file, meta = study["file"], study["meta"]
    quiet = build_report(study["comparison"], file, lang="en", meta=meta)
    assert "Platform penalties weigh on this result" not in quiet
    overrides = {"platform.law_no_reason_days": 30.0, "buyers.complain_prob": 1.0,
                 "reviews.thresholds": [-0.6, -0.4, -0.2, 0.5]}
    penalised = compare(file, ["baseline", "review_window_returns"], reps=2, seed=3,
                        executor=Executor("serial"), progress=False, overrides=overrides)
    assert penalised.kpis.query("kpi == 'penalty_points'")["value"].max() > 0
    for lang, marker in (("en", "Platform penalties weigh on this result"),
                         ("zh", "平台处罚对本结果影响很大")):
        page = build_report(penalised, file, lang=lang, meta=ReportMeta(overrides=overrides))
        summary = page.split('id="summary"', 1)[1].split('id="policies"', 1)[0]
        assert marker in summary and "platform.penalty_points_per_lost_case=0,2" in summary
