"""Job test fixtures: a clerk who asks for files, a collector whose households fill them."""

import pytest

from fieldapp.accounts.models import Role, User
from tests.support.builders import MUONG_LAT, Builders


@pytest.fixture
def clerk(make: Builders) -> User:
    return make.user(Role.CLERK, MUONG_LAT)


@pytest.fixture
def collector_token(make: Builders) -> str:
    return make.collector_token()
