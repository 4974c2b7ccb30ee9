"""The words of the repeat-purchase (BG/NBD) part of the fit report, in English and Chinese.

Shaped like the tables of :mod:`sim.present.words.calibration` (``STATS`` and ``FITTED`` as
(English, Chinese) pairs, ``TEXT`` one language at a time) and looked up before them by
:mod:`sim.calibrate.report`.
"""

from __future__ import annotations

from typing import Any

#: Names of the BG/NBD's holdout statistics (``stat.NAME``).
STATS: dict[str, tuple[str, str]] = {
    "repeat_visits_bgnbd": ("Repeat visits per buyer of the fitted period (BG/NBD)",
                            "拟合期买家在验证期的人均复购次数（BG/NBD）"),
    "repeat_buyers_bgnbd": ("Buyers of the fitted period who buy again (BG/NBD)",
                            "拟合期买家在验证期再次购买的比例（BG/NBD）"),
}

#: Labels of the fitted values (``fit.LABEL``).
FITTED: dict[str, tuple[str, str]] = {
    "purchase rate: Gamma shape r": ("purchase rate: Gamma shape r",
                                     "购买率：Gamma 分布形状参数 r"),
    "purchase rate: Gamma rate α (days)": ("purchase rate: Gamma rate α (days)",
                                           "购买率：Gamma 分布速率参数 α（天）"),
    "dropout after a repeat purchase: Beta a": ("dropout after a repeat purchase: Beta a",
                                                "每次复购后流失的概率：Beta 分布参数 a"),
    "dropout after a repeat purchase: Beta b": ("dropout after a repeat purchase: Beta b",
                                                "每次复购后流失的概率：Beta 分布参数 b"),
    "repeat purchases of a new buyer within a year": (
        "repeat purchases of a new buyer within a year", "新买家一年内的期望复购次数"),
    "new buyers who buy again within a year": ("new buyers who buy again within a year",
                                               "新买家一年内再次购买的比例"),
}

#: Texts of the report's section (``calib.KEY``).
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "sec.repeat": "Repeat purchases (BG/NBD)",
        "rep.intro": "Each person ({ids}) is followed from her first visit (orders less than a "
                     "day apart are one visit). While alive she buys at her own rate, which "
                     "varies across buyers as a Gamma(r, α) in days; after each repeat purchase "
                     "she drops out with her own probability, which varies as a Beta(a, b) "
                     "(Fader, Hardie & Lee 2005). Fitted by maximum likelihood on {n} buyers, "
                     "{k} of whom came back; standard errors from the observed information.",
        "rep.partial": "Fewer than {min} buyers came back: only the scale α of the purchase rate "
                       "is fitted; r, a and b keep their defaults.",
        "rep.none": "No repeat-purchase model was fitted: {reason}",
        "rep.col.param": "parameter",
        "rep.col.estimate": "estimate",
        "rep.col.se": "standard error",
        "rep.col.ci": "95% interval",
        "rep.implied": "What the fitted parameters imply for a new buyer",
        "rep.check": "Check on the holdout period",
        "rep.check_intro": "The {n} buyers of the fitted period, followed for the {days:.0f} "
                           "days from {cut}: what the fitted model predicts from each buyer's "
                           "history against what they did. Interval: predictive 95% ({draws} "
                           "draws of the parameters and of every buyer's future).",
        "rep.no_check": "Run with --holdout-from DATE to check the model on a later period.",
        "rep.col.what": "what",
        "rep.col.predicted": "predicted",
        "rep.col.observed": "observed",
        "rep.visits": "repeat visits in the holdout",
        "rep.buyers": "buyers who buy again in the holdout",
        "rep.by_x": "By repeat visits in the fitted period (mean visits in the holdout per buyer)",
        "rep.col.group": "repeat visits before",
        "rep.col.customers": "buyers",
        "ch.repeat": "Repeat visits in the holdout by history",
        "ch.repeat.cap": "Mean visits in the holdout per buyer of the fitted period, grouped by "
                         "her repeat visits before it: the BG/NBD's conditional expectation "
                         "against what was observed.",
        "ax.repeat_group": "repeat visits in the fitted period",
        "ax.repeat_mean": "visits per buyer in the holdout",
        "ax.predicted": "BG/NBD",
    },
    "zh": {
        "sec.repeat": "复购（BG/NBD 模型）",
        "rep.intro": "按买家身份（{ids}）从其首次到访开始跟踪（相隔不到一天的订单算作同一次"
                     "到访）。买家在“存活”期间以自己的购买率下单，购买率在买家之间服从 "
                     "Gamma(r, α)（以天计）；每次复购后以自己的概率流失，该概率服从 Beta(a, b)"
                     "（Fader, Hardie & Lee 2005）。以最大似然在 {n} 位买家上拟合，其中 {k} "
                     "位再次购买；标准误来自观测信息矩阵。",
        "rep.partial": "再次购买的买家少于 {min} 位：只拟合购买率的尺度 α；r、a、b 保持默认值。",
        "rep.none": "未拟合复购模型：{reason}",
        "rep.col.param": "参数",
        "rep.col.estimate": "估计值",
        "rep.col.se": "标准误",
        "rep.col.ci": "95% 区间",
        "rep.implied": "拟合参数对新买家的含义",
        "rep.check": "验证期检验",
        "rep.check_intro": "拟合期的 {n} 位买家，自 {cut} 起跟踪 {days:.0f} 天：模型根据每位"
                           "买家的历史给出的预测与其实际行为的对比。区间：95% 预测区间（{draws} "
                           "次抽取参数及每位买家的未来）。",
        "rep.no_check": "加上 --holdout-from 日期 即可在之后的时期检验模型。",
        "rep.col.what": "指标",
        "rep.col.predicted": "预测",
        "rep.col.observed": "实际",
        "rep.visits": "验证期内的复购次数",
        "rep.buyers": "验证期内再次购买的买家数",
        "rep.by_x": "按拟合期内的复购次数分组（验证期人均到访次数）",
        "rep.col.group": "此前复购次数",
        "rep.col.customers": "买家数",
        "ch.repeat": "按历史分组的验证期复购",
        "ch.repeat.cap": "拟合期买家在验证期的人均到访次数，按其此前的复购次数分组：BG/NBD "
                         "条件期望与实际对比。",
        "ax.repeat_group": "拟合期内的复购次数",
        "ax.repeat_mean": "验证期人均到访次数",
        "ax.predicted": "BG/NBD",
    },
}


def repeat_word(key: str, lang: str) -> str | None:
    """A word of these tables (``calib.KEY``, ``stat.NAME`` or ``fit.LABEL``), None if absent."""
    prefix, _, rest = key.partition(".")
    zh = lang == "zh"
    if prefix == "calib":
        return TEXT["zh" if zh else "en"].get(rest)
    table: dict[str, tuple[str, str]] | None = {"stat": STATS, "fit": FITTED}.get(prefix)
    if table is not None and rest in table:
        return table[rest][1 if zh else 0]
    return None


def fill(text: str, **fields: Any) -> str:
    return text.format(**fields) if fields else text
