"""The aggregator's rule tests run against both per-event loops: the C one (`_engine.c`,
what `make install` builds and Lambda runs) and the Python reference. Modules opt in with
`pytestmark = pytest.mark.usefixtures("engine")`."""

from __future__ import annotations

import pytest

from usage_analytics.ingest import aggregator


@pytest.fixture(params=["native", "python"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "python":
        monkeypatch.setattr(aggregator, "native_engine", None)
    else:
        # never skipped: a missing build is a broken install, not an optional feature
        assert aggregator.native_engine is not None, "not built: run `make install`"
    return str(request.param)
