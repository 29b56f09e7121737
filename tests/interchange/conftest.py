"""Shared fixtures: the demo documents, loaded fresh for each test so tests may edit them."""

import pytest

from indicators.models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output
from missions.models import BudgetPeriod, Mission, Report, ReportType, Unit
from rbb.demo_data import demo_document

COUNTED = (Mission, BudgetPeriod, ReportType, Report, Unit, ExpectedAccomplishment, Indicator, IndicatorFigure, Output)


def db_counts() -> dict[str, int]:
    """Rows of every table an import writes, to show that a refused import wrote nothing."""
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def unmik() -> dict:
    return demo_document(name="unmik-2020-21.json")


@pytest.fixture
def support() -> dict:
    return demo_document(name="support-account-2020-21.json")
