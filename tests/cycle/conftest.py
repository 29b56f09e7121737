"""Shared fixtures of the budget-cycle tests: the API world (UNMIK and the support account of
2020/21, a second mission OTHER, one persona per role; see tests/api/conftest.py) and UNMIK
rolled forward into its 2021/22 budget proposal.
"""

import pytest

from rbb.cycle.services import report_roll_forward
from tests.api.conftest import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def proposal(world):
    """UNMIK's 2021/22 budget proposal, rolled forward by the budget administrator."""
    return report_roll_forward(source=world.unmik, to_label="2021/22", by=world.users["admin"])
