"""The ``sim`` command line: one module per family of commands.

* :mod:`.app` - the parser (it imports every family below) and :func:`main`, which turns every
  mistake a user can make into one plain line and exit status 2;
* :mod:`.common` - exit codes, :class:`~.common.UserError`, messages, terminal tables, argument
  types and the shared options;
* :mod:`.scenarios` - ``validate``, ``policies``, ``kpis``;
* :mod:`.run` - ``run`` and the results folder it writes;
* :mod:`.bench` - ``bench``;
* :mod:`.experiments` - ``compare`` (and the options every experiment command shares);
* :mod:`.sweeps` - ``sweep``, ``sensitivity``, ``crn``;
* :mod:`.regress` - ``regress record | check | bless``;
* :mod:`.report` - ``report``;
* :mod:`.calibrate` - ``calibrate``.

Imports go one way: :mod:`.app` imports the families, the families import :mod:`.common` (and
the sweeps the experiments' shared options), and nothing here is imported by the library below.
The commands are thin: they parse, call the library and print; words and numbers come from
:mod:`sim.present`.
"""

from .app import build_parser, main

__all__ = ["build_parser", "main"]
