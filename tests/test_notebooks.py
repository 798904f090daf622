"""Reference notebooks in docs/notebooks/ must run cleanly and be committed in executed form.

Every ``*.ipynb`` found there is covered automatically:

* ``test_notebook_executes`` runs a temporary copy from top to bottom with nbclient (kernel ``python3``,
  120 s per cell) and fails on any cell error. The committed file is never written to.
* ``test_notebook_is_committed_executed`` checks the committed file itself: every code cell has an
  execution count (numbered 1, 2, 3, ... in order, i.e. one clean top-to-bottom run), no cell holds an
  error output, and the notebook embeds at least one PNG figure.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
from nbclient.exceptions import CellExecutionError  # noqa: E402  (after the importorskip above)

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "docs" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT_S = 120
KERNEL = "python3"


def _code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.slow  # 45 s of the fast tier otherwise; the full tier runs them
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path, tmp_path: Path) -> None:
    before = path.read_bytes()
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    nb = nbformat.read(copy, as_version=4)
    for cell in _code_cells(nb):  # start from a blank slate so stale outputs cannot mask anything
        cell.outputs = []
        cell.execution_count = None

    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name=KERNEL,
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},  # run in the temp dir, not in docs/
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell raised an error:\n{exc}")
    nbformat.write(nb, copy)

    errors = [o for cell in _code_cells(nb) for o in cell.outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: error outputs after execution: {[e.ename for e in errors]}"
    assert path.read_bytes() == before, f"{path.name}: the committed notebook was modified by the test"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_executed(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    cells = _code_cells(nb)
    assert cells, f"{path.name}: no code cells"

    counts = [cell.execution_count for cell in cells]
    missing = [i for i, count in enumerate(counts) if count is None]
    assert not missing, f"{path.name}: code cells {missing} (0-based among code cells) were never executed"
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..{len(cells)}; re-run the notebook top to bottom"
    )

    outputs = [o for cell in cells for o in cell.outputs]
    errors = [o.ename for o in outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: committed with error outputs: {errors}"
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert pngs, f"{path.name}: no image/png output; commit the notebook with its figures embedded"
