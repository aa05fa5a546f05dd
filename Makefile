# Every target bootstraps what it needs: a pinned uv in .tools/, then .venv from uv.lock.
SHELL := /bin/bash
PY_BOOT ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
RUN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install test demo dev synth lint openapi bench clean

help:
	@echo "make demo   - run the whole job locally (embedded AWS + Mixpanel simulator)"
	@echo "make test   - run the whole test suite"
	@echo "make dev    - leave the local stack running (API, simulator, embedded AWS)"
	@echo "make synth  - synthesize the CDK template (cdk-nag runs on every synth)"
	@echo "make lint   - ruff + mypy"
	@echo "make bench  - benchmarks, results in benchmarks/"

$(UV):
	$(PY_BOOT) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

# the ingest engine's C loop, built for this machine (scripts/native.py)
NATIVE := layers/common/usage_analytics/ingest/_engine.abi3.so
$(NATIVE): layers/common/usage_analytics/ingest/_engine.c scripts/native.py $(VENV)/.synced
	$(RUN)/python -m scripts.native

install: $(VENV)/.synced $(NATIVE)

test: install
	$(RUN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

demo: install
	$(RUN)/usage-analytics demo $(DEMO_ARGS)

dev: install
	$(RUN)/usage-analytics dev $(DEV_ARGS)

synth: install
	$(RUN)/python -m infra.app

lint: install
	$(RUN)/ruff check .
	$(RUN)/ruff format --check .
	$(RUN)/mypy

openapi: install
	$(RUN)/python -m scripts.openapi --write

bench: install
	$(RUN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf .venv .tools cdk.out build .pytest_cache .mypy_cache .ruff_cache $(NATIVE)
