"""The presentation base: the words and numbers of every report, table, chart and notebook, and
the standard charts of a comparison, each written once.

* :mod:`sim.present.words` - the words, in English and Simplified Chinese, one lookup function;
* :mod:`sim.present.numbers` - numbers by unit (values, differences, intervals, tick labels);
* :mod:`sim.present.plots` - the standard charts of a comparison (matplotlib figures);
* :mod:`sim.present.loyalty_plots` - repeat curves and the value of the customer base;
* :mod:`sim.present.fonts` - a Chinese font for the charts.

It sits above the experiment layer (it draws a :class:`~sim.experiment.Comparison` but runs
nothing) and below the features that present results: the scenario report (:mod:`sim.report`),
calibration (:mod:`sim.calibrate`), regression checks (:mod:`sim.regress`) and the command line
(:mod:`sim.cli`).
"""
