"""The import contracts (`[tool.importlinter]` in pyproject.toml) are kept: core imports no other tandem app, a
lower layer never imports a higher one, and the scheduling engine imports no Django — so a wrong arrow fails
the suite, not only `make lint`."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_the_layers_core_and_engine_contracts_are_configured():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contracts = {contract["id"]: contract for contract in config["contracts"]}

    assert {"layers", "core", "engine"} <= set(contracts)
    assert contracts["layers"]["exhaustive"] is True
    assert contracts["layers"]["layers"][-1] == "core | scheduling"
    assert contracts["core"]["forbidden_modules"] == ["tandem.*"]
    assert set(contracts["engine"]["forbidden_modules"]) == {"django", "tandem.*"}


@pytest.mark.slow
def test_every_import_contract_is_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout
