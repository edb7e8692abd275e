"""The built-in packs ship inside the wheel and work from an installed copy, not only from a
checkout: build the wheel, put it alone on sys.path in a folder far from the checkout, and list
and load the packs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import REPO

ROOT = REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "--wheel-dir", str(out), str(ROOT)], check=True,
                   capture_output=True)
    (found,) = out.glob("redactor-*.whl")
    return found


def test_wheel_contains_the_packs_and_the_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack in ("default", "us-classification", "state-cable", "pii", "cui", "tlp", "uk-gscp",
                 "nato-eu", "corporate"):
        assert f"redactor/_packs/{pack}.yaml" in names
    assert "redactor/policy/schema.json" in names


def test_installed_copy_loads_the_packs(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import redactor.policy.load as l, redactor.policy as p;"
            "print(l.packs_dir()); print(sorted(p.builtin_packs()));"
            "print(p.load_policy().name)")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True,
                          capture_output=True, text=True)
    packs_dir, packs, default = done.stdout.splitlines()
    assert Path(packs_dir).is_relative_to(site)
    assert packs == ("['corporate', 'cui', 'default', 'foia-stamps', 'nato-eu', 'pii', "
                     "'state-cable', 'tlp', 'uk-gscp', 'us-classification']")
    assert default == "default"
