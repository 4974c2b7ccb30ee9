"""The notebooks in ``notebooks/`` run top to bottom on a fresh install, and are committed clean.

Each notebook is executed with nbclient in a kernel running this interpreter, with
``SIM_NOTEBOOK_QUICK=1``: the notebook's *Study size* cell then shrinks the study to a few
replications of a few days, so the whole file runs in a couple of minutes on 2 cores. A cell that
raises fails the test (nbclient's ``CellExecutionError`` names the cell and shows the traceback).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "notebooks"
EXPECTED = ("01_compare_policies", "02_what_if", "03_my_shop", "04_bad_actors", "05_best_policy")
NOTEBOOKS = [FOLDER / f"{name}.ipynb" for name in EXPECTED]
MAX_BYTES = 100_000  # committed notebooks are small: no outputs, no blobs
CELL_TIMEOUT = 900  # seconds per cell; the quick study needs a few
KERNEL = "aftersales-sim-test"


def _id(path: Path) -> str:
    return path.stem


def _read(path: Path):
    return nbformat.read(path, as_version=4)


# ------------------------------------------------------------------------------------------------
# Committed form
# ------------------------------------------------------------------------------------------------
def test_the_five_notebooks_are_there():
    found = sorted(p.stem for p in FOLDER.glob("*.ipynb"))
    assert found == sorted(EXPECTED)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_committed_without_outputs_and_small(path):
    assert path.stat().st_size < MAX_BYTES, f"{path.name} is {path.stat().st_size:,} bytes"
    nb = _read(path)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.id} has outputs"
            assert cell.execution_count is None, f"{path.name}: cell {cell.id} was run"
        assert "attachments" not in cell, f"{path.name}: cell {cell.id} has attachments"
    assert set(nb.metadata) <= {"kernelspec", "language_info"}, "keep notebook metadata small"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_one_marked_study_size_cell(path):
    """A papermill-style `parameters` cell, under a heading that says how to raise the size."""
    nb = _read(path)
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    cell = nb.cells[tagged[0]]
    assert cell.cell_type == "code"
    for name in ("REPS", "JOBS", "SIM_NOTEBOOK_QUICK"):
        assert name in cell.source
    heading = nb.cells[tagged[0] - 1]
    assert heading.cell_type == "markdown" and "Study size" in heading.source
    assert "研究规模" in heading.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_headings_are_bilingual(path):
    nb = _read(path)
    headings = [line for c in nb.cells if c.cell_type == "markdown"
                for line in c.source.splitlines() if line.startswith("#")]
    assert headings
    for line in headings:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in line), f"no Chinese in {line!r}"
        assert any("a" <= ch.lower() <= "z" for ch in line), f"no English in {line!r}"


def test_readme_links_the_notebooks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in EXPECTED if f"notebooks/{name}.ipynb" not in text]
    if missing:
        pytest.skip(f"README does not link {', '.join(missing)} yet")


# ------------------------------------------------------------------------------------------------
# Execution
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def kernel(tmp_path_factory):
    """A kernel spec that runs this interpreter (the project's environment), found first."""
    where = tmp_path_factory.mktemp("jupyter")
    spec = where / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "aftersales-sim tests", "language": "python",
    }), encoding="utf-8")
    before = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(where), before]))
    yield KERNEL
    if before is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = before


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_runs_top_to_bottom(path, kernel, tmp_path, monkeypatch):
    monkeypatch.setenv("SIM_NOTEBOOK_QUICK", "1")
    monkeypatch.setenv("SIM_NOTEBOOK_OUT", str(tmp_path))  # files a notebook writes go here
    nb = _read(path)
    client = nbclient.NotebookClient(nb, kernel_name=kernel, timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(FOLDER)}})
    client.execute()  # CellExecutionError (a failing cell) fails the test
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, "the notebook shows no chart"
    stderr = "".join(o.get("text", "") for o in outputs
                     if o.output_type == "stream" and o.name == "stderr")
    assert "missing from font" not in stderr, "a chart lost its Chinese characters"
