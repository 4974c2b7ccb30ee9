"""The SimPy model of an after-sales world: what happens, and nothing about experiments."""

from .invariants import InvariantError
from .kpis import KPI_NAMES, KPIS
from .ledger import ENTRY_DOCS, Entry
from .run import RunResult, simulate

__all__ = ["ENTRY_DOCS", "KPIS", "KPI_NAMES", "Entry", "InvariantError", "RunResult", "simulate"]
