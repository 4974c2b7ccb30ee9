"""Words of the report's model and experiment section, in the structure of the STRESS-DES
guideline (Monks et al. 2019), English and Simplified Chinese.

Trusted HTML templates like :mod:`.report`, looked up as ``report.KEY`` (keys ``st.*`` and
``flow.*``). The sources they cite are the project's own documents, docs/FACTS.md and
docs/MODEL.md.
"""

from __future__ import annotations

#: The STRESS-DES section: ``TEXT[lang][key]``.
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "st.intro": "The model and the experiment, reported in the structure of the STRESS-DES "
                    "guideline (Monks et al. 2019, Strengthening the reporting of empirical "
                    "simulation studies).",
        "st.1": "1. Objectives",
        "st.1.1": "1.1 Purpose of the model",
        "st.1.1.text": "To compare after-sales policies of the online shop described by scenario "
                       "{scenario} ({platform}) before its owner tries them on real buyers. "
                       "Every policy moves money (refunds, shipping, compensation, repairs, "
                       "service labour), reputation (reviews and the shop rating that the next "
                       "buyers see) and loyalty (whether a buyer comes back); the model shows "
                       "these trade-offs side by side, with their uncertainty.",
        "st.1.2": "1.2 Model outputs",
        "st.1.2.text": "KPIs per replication, summed over a ledger of typed money entries and "
                       "counted over the orders placed in the measured period (KPIs shown in "
                       "this report):",
        "st.1.3": "1.3 Experimentation aims",
        "st.1.3.text": "Compare {k} policies with {baseline}: {policies}. Each policy's effect "
                       "is estimated as the paired difference from the baseline with its 95% "
                       "confidence interval, and the chance of being best on profit.",
        "st.2": "2. Logic",
        "st.2.1": "2.1 Base model overview",
        "st.2.1.text": "One order's story, from placement to the buyer's decision to come back:",
        "flow.1": "Placement",
        "flow.1.d": "risk screening, stock-outs",
        "flow.2": "Dispatch",
        "flow.2.d": "daily capacity, late-dispatch compensation",
        "flow.3": "Transit",
        "flow.3.d": "carrier time, damage, loss",
        "flow.4": "Delivery and use",
        "flow.4.d": "defects, not as described, failures",
        "flow.5": "After-sales",
        "flow.5.d": "returns, refunds, repairs, replacements",
        "flow.6": "Disputes",
        "flow.6.d": "complaints, platform arbitration, penalties",
        "flow.7": "Review",
        "flow.7.d": "stars and text, follow-up, revision",
        "flow.8": "Close",
        "flow.8.d": "money final, buy again or churn",
        "st.2.2": "2.2 Base model logic",
        "st.2.2.text": "Each order yields a latent satisfaction score built from what happened "
                       "(lateness against the promise, defects, damage, waiting for customer "
                       "service, how a request was resolved) and the buyer's own pickiness. "
                       "Review stars follow from it through an ordered probit model whose "
                       "lateness curve is fitted to the Olist data. The shop rating is a rolling "
                       "mean of recent reviews (DSR style); conversion = base × f(rating) × "
                       "g(visible negatives on the first page of text reviews) × h(policy "
                       "badges) × a penalty traffic multiplier, so a policy's effect on reviews "
                       "feeds back into sales. Extortion reviewers (差评师), claim hunters "
                       "(职业打假人) and malicious competitors arrive through their own streams; "
                       "extortion grows when the shop is known to pay. Buyers come back as a "
                       "customer base on the BG/NBD model (a buying rate and a chance to leave "
                       "after each purchase per buyer), both moved by the after-sales experience "
                       "of their orders and by the shop's reputation; what the buyers left at "
                       "the end are worth is valued by the model's own conditional expectation "
                       "(section {loyalty}). The model is described in full in docs/MODEL.md.",
        "st.2.3": "2.3 Scenario logic",
        "st.2.3.text": "A policy is a named set of overrides on the base scenario. The policies "
                       "of this study and every parameter they change are listed in sections 2 "
                       "and {assumptions}; everything else is identical across policies.",
        "st.2.4": "2.4 Algorithms",
        "st.2.4.text": "Visitors per day Poisson around the daily mean × weekday and seasonal "
                       "factors; conversion per visitor from the feedback formula; handling and "
                       "carrier transit times log-normal (slower in peaks); defects, damage, "
                       "returns and reviews Bernoulli draws with the scenario's probabilities; "
                       "review stars from an ordered probit on satisfaction; repair bench with "
                       "exponential or log-normal service (an M/M/c queue, validated against "
                       "Erlang C); repeat buying BG/NBD (Gamma-distributed rates, "
                       "Beta-distributed dropout, exponential waits, checked against its closed "
                       "forms); platform "
                       "arbitration with a delay and a chance that the buyer wins.",
        "st.2.5": "2.5 Components",
        "st.2.5.entities": "<strong>Entities:</strong> orders, buyers (honest buyers, return "
                           "fraudsters, extortion reviewers, claim hunters, malicious "
                           "competitors), reviews, customer-service messages, repair jobs.",
        "st.2.5.activities": "<strong>Activities:</strong> handling and dispatch, transit, use, "
                             "return shipping and inspection, refunds, repairs, customer-service "
                             "answers, platform arbitration, reviewing.",
        "st.2.5.resources": "<strong>Resources:</strong> the dispatch team (parcels per day), "
                            "customer-service agents in working hours and an optional bot, "
                            "repair technicians.",
        "st.2.5.queues": "<strong>Queues:</strong> the dispatch backlog (first in, first out), "
                         "customer-service messages waiting for an agent, the repair queue.",
        "st.2.5.entry": "<strong>Entry and exit:</strong> orders enter when placed during the "
                        "warm-up and the measured period; each is followed to its end (closed, "
                        "refunded, repaired or its review window lapsed) or reported as still "
                        "open at the cut-off.",
        "st.3": "3. Data",
        "st.3.1": "3.1 Data sources",
        "st.3.1.facts": "<strong>FACTS.md</strong> (docs/FACTS.md): the project's collection of "
                        "figures from Chinese law, platform rules and published studies, each "
                        "with a confidence grade (H, M, L): the platform presets, compensation "
                        "rules, return-shipping insurance, return rates.",
        "st.3.1.olist": "<strong>Olist</strong>: Brazilian E-Commerce Public Dataset by Olist "
                        "(Olist Store, Kaggle, CC BY-NC-SA 4.0), orders of 2016–2017: lateness "
                        "against the estimated delivery date and its effect on review scores, "
                        "handling times and stock-outs; the model is also checked against it.",
        "st.3.1.assume": "Every other number is an assumption, marked as such in the scenario "
                         "file (section {assumptions}) and meant to be swept.",
        "st.3.2": "3.2 Pre-processing",
        "st.3.2.text": "The Olist export is read as is; the review model's lateness curve and "
                       "cut-points were fitted to it. No other data enter the model directly.",
        "st.3.3": "3.3 Input parameters",
        "st.3.3.text": "The key inputs and every parameter that differs between policies are in "
                       "section {assumptions}; the complete resolved scenario of each policy is "
                       "identified by its hash in the reproducibility footer.",
        "st.3.4": "3.4 Assumptions",
        "st.3.4.intro": "Besides the scenario's own assumptions (section {assumptions}), the model "
                        "simplifies:",
        "st.3.4.a": "Shipping-insurance payouts appear in the ledger only when they reimburse a "
                    "return leg the shop paid; when the insurer pays the buyer's leg, the shop's "
                    "only flow is the premium.",
        "st.3.4.b": "A refunded order cannot be reviewed (Taobao's rule), unless the buyer "
                    "reviewed before asking.",
        "st.3.4.c": "Conversion never exceeds three times the base conversion.",
        "st.3.4.d": "The default review thresholds describe a Chinese marketplace (about 97–98% "
                    "positive reviews for flawless orders), an assumption.",
        "st.4": "4. Experimentation",
        "st.4.1": "4.1 Initialisation",
        "st.4.1.text": "A warm-up of {warmup} days ({start} to {warm_end}) is simulated and "
                       "excluded from the KPIs; the shop starts with {prior} earlier reviews "
                       "averaging {prior_mean} stars.",
        "st.4.2": "4.2 Run length",
        "st.4.2.text": "Orders placed in the {horizon} days from {h_start} to {h_end} form the "
                       "measured cohort; each is followed to its end, for at most {drain} days "
                       "after the period (follow-up reviews run 180 days).",
        "st.4.3": "4.3 Estimation approach",
        "st.4.3.text": "{reps} replications per policy, paired across policies by common random "
                       "numbers. Means with two-sided 95% Student-t confidence intervals; paired "
                       "differences against the baseline with their own t-intervals; a verdict "
                       "(better, worse, no clear difference) from whether that interval excludes "
                       "zero; the chance of being best is the share of replications in which a "
                       "policy had the best value.",
        "st.4.3.precision": "The number of replications was chosen by a precision rule: "
                            "replications were added until the 95% interval was narrow enough "
                            "({reps} needed).",
        "st.5": "5. Implementation",
        "st.5.1": "5.1 Software",
        "st.5.1.text": "aftersales-sim {version} (this tool), written in Python {python} on the "
                       "discrete-event library SimPy {simpy}, with NumPy {numpy}, pandas "
                       "{pandas}, SciPy {scipy}, pydantic {pydantic} and matplotlib {matplotlib}.",
        "st.5.2": "5.2 Random sampling",
        "st.5.2.text": "One seed per study ({seed}). Replication r runs with NumPy's "
                       "SeedSequence(seed, spawn_key=(r,)), the same for every policy. Inside a "
                       "run it is spawned into named streams (arrivals, bad_actors, service, "
                       "platform, decisions). Visitors are drawn per day from a day-keyed "
                       "generator, independent of the policy; each buyer's traits and the first "
                       "order's fate come from that day's block and later orders from the "
                       "buyer's own stream, always in a fixed number of draws. So the same "
                       "buyers with the same luck meet every policy (common random numbers) and "
                       "comparisons are paired by replication.",
        "st.5.3": "5.3 Model execution",
        "st.5.3.text": "Discrete-event simulation in SimPy, time in days. Replications ran on "
                       "{executor}; {cached} of {total} were reused from the results store "
                       "{store}; the simulations took {seconds} of computing time in all.",
        "st.5.3.no_store": "no store",
        "st.5.4": "5.4 System specification",
        "st.5.4.text": "{system}, {cores} CPU cores.",
        "st.6": "6. Code access",
        "st.6.1.text": "The simulator's source code, the scenario file and this report's command "
                       "(below) reproduce every number here: the same seed gives the same "
                       "results whatever executor runs the replications.",
        "st.kpi.name": "KPI",
        "st.kpi.unit": "Unit",
        "st.kpi.def": "Definition",
    },
    "zh": {
        "st.intro": "按 STRESS-DES 指南（Monks 等，2019，《加强实证仿真研究的报告》）的结构说明模"
                    "型与实验。",
        "st.1": "1. 目标",
        "st.1.1": "1.1 模型目的",
        "st.1.1.text": "在店主真正对买家实行之前，比较场景 {scenario}（{platform}）所描述网店的各"
                       "项售后政策。每个政策都会同时影响钱（退款、运费、赔付、维修、客服人工）、"
                       "口碑（评价以及后来的买家看到的店铺评分）和忠诚度（买家是否回购）；模型把"
                       "这些权衡并列展示，并给出不确定性。",
        "st.1.2": "1.2 模型输出",
        "st.1.2.text": "每次重复的指标：金额类指标由分类型记账的流水汇总而来，计数类指标统计统计"
                       "期内下的订单（本报告展示的指标）：",
        "st.1.3": "1.3 实验目的",
        "st.1.3.text": "把 {k} 个策略与{baseline}比较：{policies}。每个策略的效果以与基准的配对差"
                       "值及其95% 置信区间估计，并给出利润最优的概率。",
        "st.2": "2. 逻辑",
        "st.2.1": "2.1 基础模型概览",
        "st.2.1.text": "一个订单从下单到买家决定是否回购的全过程：",
        "flow.1": "下单",
        "flow.1.d": "风控筛查、缺货",
        "flow.2": "发货",
        "flow.2.d": "日发货能力、延迟发货赔付",
        "flow.3": "运输",
        "flow.3.d": "快递时效、破损、丢件",
        "flow.4": "签收与使用",
        "flow.4.d": "次品、与描述不符、使用中故障",
        "flow.5": "售后",
        "flow.5.d": "退货、退款、维修、换新",
        "flow.6": "纠纷",
        "flow.6.d": "投诉、平台仲裁、扣分",
        "flow.7": "评价",
        "flow.7.d": "星级与文字、追评、修改",
        "flow.8": "完结",
        "flow.8.d": "金额确定，回购或流失",
        "st.2.2": "2.2 基础模型逻辑",
        "st.2.2.text": "每个订单根据发生的事情（相对承诺的延迟、次品、破损、等待客服、售后请求的处"
                       "理结果）和买家自身的挑剔程度得到一个潜在满意度。评价星级由满意度经有序 "
                       "probit 模型得出，其中延迟曲线根据 Olist 数据拟合。店铺评分是近期评价的滚动"
                       "平均（类似 DSR）；转化率 = 基础转化率 × f(评分) × g(文字评价首页的可见差评"
                       ") × h(政策标识) × 扣分导致的流量系数，因此政策对评价的影响会反过来影响销量"
                       "。差评师、职业打假人和恶意竞争者各有独立的到达过程；店铺被知道会付钱时，差"
                       "评师会增多。订单完结后，买家作为按 BG/NBD 模型的客户群体再次购买（每位买家"
                       "有自己的购买频率和每次购买后的流失概率），二者随订单的售后经历和店铺口碑而"
                       "变化；统计期结束时这些买家的价值按模型自身的条件期望计算（第 {loyalty} 节"
                       "）。模型的完整说明见 docs/MODEL.md。",
        "st.2.3": "2.3 场景逻辑",
        "st.2.3.text": "一个策略是对基础场景的一组命名覆盖。本研究的策略及其改变的每个参数见第 2 "
                       "节和第 {assumptions} 节；其余参数在各策略之间完全相同。",
        "st.2.4": "2.4 算法",
        "st.2.4.text": "每日访客数服从泊松分布，均值为日均访客 × 星期系数 × 季节系数；每位访客的转"
                       "化率来自反馈公式；备货与快递运输时间服从对数正态分布（大促期间更慢）；次品"
                       "、破损、退货和评价为伯努利抽样，概率取自场景；评价星级由满意度的有序 "
                       "probit 模型得出；维修台服务时间为指数或对数正态分布（M/M/c 排队，已用 "
                       "Erlang C 公式验证）；复购按 BG/NBD（购买频率服从伽马分布，流失概率服从贝塔"
                       "分布，等待时间服从指数分布，已用其解析式验证）；平台仲裁有延迟，并有一定概"
                       "率判买家胜。",
        "st.2.5": "2.5 组成部分",
        "st.2.5.entities": "<strong>实体：</strong>订单、买家（普通买家、退货欺诈者、差评师、职业"
                           "打假人、恶意竞争者）、评价、客服消息、维修工单。",
        "st.2.5.activities": "<strong>活动：</strong>备货与发货、运输、使用、退货寄回与验货、退款"
                             "、维修、客服回复、平台仲裁、评价。",
        "st.2.5.resources": "<strong>资源：</strong>发货团队（每日包裹数）、工作时间内的客服和可"
                            "选的客服机器人、维修技师。",
        "st.2.5.queues": "<strong>排队：</strong>待发货订单（先进先出）、等待客服的消息、维修队列"
                         "。",
        "st.2.5.entry": "<strong>进入与离开：</strong>订单在预热期和统计期内下单时进入模型；每个"
                        "订单都被跟踪到结束（完结、退款、维修完成或评价期结束），或在截止时报告为"
                        "未完结。",
        "st.3": "3. 数据",
        "st.3.1": "3.1 数据来源",
        "st.3.1.facts": "<strong>FACTS.md</strong>（docs/FACTS.md）：本项目整理的中国法律、平台规"
                        "则和公开研究中的数据，每条标有可信度（H、M、L）：平台预设、赔付规则、运"
                        "费险、退货率。",
        "st.3.1.olist": "<strong>Olist</strong>：Brazilian E-Commerce Public Dataset by "
                        "Olist（Olist Store，Kaggle，CC BY-NC-SA 4.0），2016–2017 "
                        "年的订单：相对预计送达日期的延迟及其对评分的影响、备货时间和缺货；模型也"
                        "用它来检验。",
        "st.3.1.assume": "其余数字均为假设，在场景文件中已注明（第 {assumptions} 节），应通过参数"
                         "扫描检验。",
        "st.3.2": "3.2 数据预处理",
        "st.3.2.text": "Olist 数据按原样读取；评价模型的延迟曲线和分界点据此拟合。没有其他数据直"
                       "接进入模型。",
        "st.3.3": "3.3 输入参数",
        "st.3.3.text": "主要输入和各策略之间不同的全部参数见第 {assumptions} 节；每个策略解析后的"
                       "完整场景由页脚中的哈希值标识。",
        "st.3.4": "3.4 假设",
        "st.3.4.intro": "除场景本身的假设（第 {assumptions} 节）外，模型还做了以下简化：",
        "st.3.4.a": "运费险理赔只在补偿店铺已付的退货运费时记入账目；保险公司赔付买家运费时，店铺"
                    "的支出只有保费。",
        "st.3.4.b": "已退款的订单不能评价（淘宝规则），除非买家在申请退款前已经评价。",
        "st.3.4.c": "转化率不会超过基础转化率的三倍。",
        "st.3.4.d": "默认的评价分界点描述的是中国电商平台（无瑕疵订单约 97–98% "
                    "为好评），属于假设。",
        "st.4": "4. 实验",
        "st.4.1": "4.1 初始化",
        "st.4.1.text": "先模拟 {warmup} 天预热期（{start} 至 {warm_end}），不计入指标；店铺开始时"
                       "已有 {prior} 条历史评价，平均 {prior_mean} 星。",
        "st.4.2": "4.2 运行长度",
        "st.4.2.text": "{h_start} 至 {h_end} 这 {horizon} "
                       "天内下的订单构成统计批次；每个订单都跟踪到结束，最多到统计期后 {drain} "
                       "天（追评期为 180 天）。",
        "st.4.3": "4.3 估计方法",
        "st.4.3.text": "每个策略重复 {reps} 次，各策略之间用共同随机数配对。均值附双侧 95% t "
                       "置信区间；与基准的配对差值有各自的 t 区间；结论（更好、更差、无明显差异）"
                       "取决于该区间是否包含零；最优概率是某策略取得最佳值的重复所占的比例。",
        "st.4.3.precision": "重复次数由精度规则决定：不断增加重复，直到 95% 置信区间足够窄（共需 "
                            "{reps} 次）。",
        "st.5": "5. 实现",
        "st.5.1": "5.1 软件",
        "st.5.1.text": "aftersales-sim {version}（本工具），使用 Python {python} "
                       "和离散事件仿真库 SimPy {simpy} 编写，另用 NumPy {numpy}、pandas "
                       "{pandas}、SciPy {scipy}、pydantic {pydantic} 和 matplotlib {matplotlib}。",
        "st.5.2": "5.2 随机抽样",
        "st.5.2.text": "每项研究一个随机种子（{seed}）。第 r 次重复使用 NumPy 的 "
                       "SeedSequence(seed, spawn_key=(r,))，所有策略相同。在一次运行内部，它再派"
                       "生出命名的随机流（arrivals、bad_actors、service、platform、decisions）。"
                       "访客按天从以日期为键的生成器抽取，与策略无关；每位买家的特征和第一个订单"
                       "的“命运”来自当天的数据块，之后的订单来自买家自己的随机流，抽样次数固定。"
                       "因此同样的买家、同样的运气会遇到每一个策略（共同随机数），比较按重复配对"
                       "进行。",
        "st.5.3": "5.3 模型运行",
        "st.5.3.text": "用 SimPy 做离散事件仿真，时间单位为天。重复运行于 {executor}；{total} "
                       "次中有 {cached} 次直接取自结果缓存 {store}；仿真共耗计算时间 {seconds}。",
        "st.5.3.no_store": "（未使用缓存）",
        "st.5.4": "5.4 系统配置",
        "st.5.4.text": "{system}，{cores} 个 CPU 核。",
        "st.6": "6. 代码获取",
        "st.6.1.text": "仿真器的源代码、场景文件和本报告的命令（见下）可以复现这里的每一个数字："
                       "同一随机种子无论用哪种执行器运行，结果都相同。",
        "st.kpi.name": "指标",
        "st.kpi.unit": "单位",
        "st.kpi.def": "定义",
    },
}
