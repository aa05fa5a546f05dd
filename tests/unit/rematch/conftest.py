"""moto (in-process) tables for the rematch tests, from the declarations in `tables.py`."""

from tests.unit.storage.conftest import dynamodb  # noqa: F401  (re-exported fixture)
