import copy
import json
from pathlib import Path

import pytest

from rbb.demo_data import DEMO_DIR

HERE = Path(__file__).resolve().parent
DPPA_FILE = DEMO_DIR / "dppa-2024.json"


@pytest.fixture(scope="session")
def _dppa_document():
    return json.loads(DPPA_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def dppa(_dppa_document):
    """The demo's programme-plan document (subprogrammes 2 and 4 of A/78/6 (Sect. 3)), a fresh copy."""
    return copy.deepcopy(_dppa_document)


@pytest.fixture(scope="session")
def transcription():
    """The seed's transcription of subprogramme 4, copied into the tests (never read from ../shared)."""
    return json.loads((HERE / "transcription-sp4.json").read_text(encoding="utf-8"))["subprogramme"]


@pytest.fixture
def dppa_report(db, dppa):
    from rbb.programme.interchange import programme_import

    return programme_import(data=dppa)
