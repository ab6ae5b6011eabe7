# World Timer — works with GNU make as `make` or `gmake`, with /bin/sh (no bash or zsh needed).
SHELL := /bin/sh
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
# Poetry locks, exports the lock and builds. A Poetry on PATH is used when it can export (the
# poetry-plugin-export plugin); otherwise a pinned one is installed with pip into $(TOOLS).
ifndef POETRY
POETRY := $(shell p=$$(command -v poetry 2>/dev/null) && "$$p" export --help >/dev/null 2>&1 \
	&& echo "$$p" || echo $(TOOLS)/bin/poetry)
endif
STAMP := $(VENV)/.installed
LOG_DIR ?= logs

.PHONY: help install run test test-fast lint format clean docs cog bench bench-api accuracy gazetteer lock \
	serve loadtest-ab loadtest-molotov loadtest-locust bench-server dist check-dist publish-test \
	image-base image-wheels image stack-images stack-up stack-down stack-test test-container

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'

$(TOOLS)/bin/poetry:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet "poetry==2.5.1" "poetry-plugin-export>=1.9"

# pip shows its progress on a terminal and stays quiet when piped (CI logs); either way one line
# says what the minute of installing is (measured: 50 s on 2 cores with a warm pip cache).
PIP_PROGRESS = q=--quiet; [ -t 1 ] && q=; 

$(STAMP): pyproject.toml poetry.lock | $(filter $(TOOLS)/bin/poetry,$(POETRY))
	@echo "installing locked dependencies into $(VENV) (about a minute on 2 cores)…"
	$(POETRY) check --lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(POETRY) export --with dev --format requirements.txt --output $(VENV)/requirements.txt
	$(PIP_PROGRESS)$(BIN)/python -m pip install $$q --require-hashes -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@
	@echo "installed: $(BIN)/world-timer"

install: $(STAMP) ## Create .venv with the locked dependencies and World Timer (editable)

run: $(STAMP) ## Run `world-timer -c Tokyo -c Lima`, logging to ./logs
	$(BIN)/world-timer --log-dir $(LOG_DIR) -c Tokyo -c Lima

test: $(STAMP) ## Run the whole test suite
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## ruff (lint + format check), mypy, import-linter (the layers), yamllint on every YAML file
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/yamllint --strict .

format: $(STAMP) ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

DOCS_GENERATED = README.md $(wildcard docs/*.md docs/reference/*.md)

docs: $(STAMP) ## Build the manual (MkDocs, --strict, offline) into build/site; fails if cog text is stale
	$(BIN)/cog --check $(DOCS_GENERATED)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	@echo "docs: build/site/index.html"

cog: $(STAMP) ## Rewrite the generated text in README.md and docs/ (cog blocks)
	$(BIN)/cog -r $(DOCS_GENERATED)

bench: $(STAMP) ## Start-up time, memory and query throughput (utils/benchmark.py)
	$(BIN)/python utils/benchmark.py

accuracy: $(STAMP) ## Resolution over whole kinds: big places by own name, CLDR exemplar cities per language
	$(BIN)/python utils/accuracy.py

bench-api: $(STAMP) ## API source: 20 zones vs a 100 ms loopback server, against the seed's loop
	$(BIN)/python utils/bench_api.py

gazetteer: $(STAMP) ## Rebuild world_timer/data/gazetteer.sqlite3 (GeoNames, CLDR, tz, admin1)
	$(BIN)/python -m world_timer.places.build

PORT ?= 8080
WORKERS ?= 1
LOAD_SECONDS ?= 10
# Debian packages for the load tests, installed only when the tool is missing (needs root + apt).
APT_GET = sh -c 'apt-get update -qq && apt-get install -y -qq "$$@"' apt-install

serve: $(STAMP) ## Serve the time API on 127.0.0.1:PORT (8080) until Ctrl-C (WORKERS=N)
	$(BIN)/world-timer serve --port $(PORT) --workers $(WORKERS) --log-dir $(LOG_DIR)

loadtest-ab: $(STAMP) ## Bounded ab load (20,000 requests) on our own server, then a summary
	command -v ab >/dev/null 2>&1 || $(APT_GET) apache2-utils
	$(BIN)/python utils/load_test_ab.py --requests 20000 --concurrency 50

loadtest-molotov: $(STAMP) ## Weighted molotov scenarios for LOAD_SECONDS (10) s; fails on any failure
	$(BIN)/python utils/load_test_molotov.py --seconds $(LOAD_SECONDS)

loadtest-locust: $(STAMP) ## Headless locust for LOAD_SECONDS (10) s, CSV in .bench/; fails on any failure
	$(BIN)/python utils/load_test_locust.py --seconds $(LOAD_SECONDS)

bench-server: $(STAMP) ## wrk, pinned: our server vs nginx vs FastAPI+uvicorn; p99 under miss flood + 5,000 idle
	command -v wrk >/dev/null 2>&1 || $(APT_GET) wrk
	command -v nginx >/dev/null 2>&1 || $(APT_GET) nginx-light
	$(BIN)/python utils/bench_server.py $(BENCH_ARGS)

lock: | $(filter $(TOOLS)/bin/poetry,$(POETRY)) ## Re-lock dependencies (poetry lock through the simple index API)
	POETRY=$(POETRY) $(PYTHON) utils/lock.py

dist: $(STAMP) ## Build the sdist and wheel into dist/ (poetry build) and check them with twine
	rm -rf dist
	$(POETRY) build --no-interaction
	$(BIN)/twine check --strict dist/*

check-dist: $(STAMP) ## Build, twine-check, pip-install the sdist in a fresh venv and run it elsewhere
	POETRY=$(POETRY) $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_dist.py

# Never part of CI or the tests: it needs PUBLISH=testpypi on the command line, refuses when $$CI is
# set, and twine reads the TestPyPI token from TWINE_PASSWORD (TWINE_USERNAME=__token__) or ~/.pypirc.
publish-test: ## Upload dist/ to TestPyPI (twine --repository testpypi); needs PUBLISH=testpypi
	@if [ "$(PUBLISH)" != "testpypi" ] || [ -n "$$CI" ]; then \
		echo "publish-test: refusing: run \`make publish-test PUBLISH=testpypi\` by hand, outside CI" >&2; \
		exit 2; \
	fi
	$(MAKE) dist
	$(BIN)/twine upload --repository testpypi dist/*

# Containers (README, "Containers"). podman with this repository's containers.conf, which this
# kind of machine needs (runc, cgroupfs, file events, ulimits: read the file); CONTAINERS_CONF= on
# the command line uses podman's own settings instead.
PODMAN ?= podman
CONTAINERS_CONF ?= $(CURDIR)/deploy/podman/containers.conf
export CONTAINERS_CONF
SUITE ?= $(shell . /etc/os-release 2>/dev/null && echo $${VERSION_CODENAME:-bookworm} || echo bookworm)
LOCAL_BASE := localhost/world-timer-base:$(SUITE)
STACK_BASE := localhost/world-timer-stack-tools:$(SUITE)
# BASE= another image (e.g. the official python:3.11-slim-bookworm) skips the local base.
BASE ?= $(LOCAL_BASE)
IMAGE ?= localhost/world-timer:latest
APP_VERSION = $$($(BIN)/python -c 'from importlib.metadata import version; print(version("world-timer"))')

image-base: ## Build the local Debian base (mmdebstrap + podman import) unless it exists
	$(PODMAN) image exists $(LOCAL_BASE) || \
		sh deploy/image/base.sh $(LOCAL_BASE) python3,python3-venv,ca-certificates $(SUITE)

image-wheels: $(STAMP) $(if $(filter $(LOCAL_BASE),$(BASE)),image-base) ## Locked wheels + ours into build/image/
	POETRY=$(POETRY) PODMAN=$(PODMAN) $(BIN)/python utils/image_wheels.py --base $(BASE)

image: image-wheels ## Build the image (Containerfile) on BASE, offline; print its size
	$(PODMAN) build --quiet --format docker --pull=never --build-arg BASE=$(BASE) \
		--build-arg VERSION=$(APP_VERSION) \
		--build-arg REVISION=$$(git rev-parse HEAD 2>/dev/null || echo unknown) \
		--build-arg CREATED=$$(git log -1 --format=%cI 2>/dev/null || echo unknown) \
		--build-arg TZDATA_VERSION=$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("tzdata"))') \
		--build-arg IANA_VERSION=$$($(BIN)/python -c 'import tzdata; print(tzdata.IANA_VERSION)') \
		--tag $(IMAGE) --file Containerfile . >/dev/null
	@$(PODMAN) image inspect --format '$(IMAGE): {{.Size}} bytes' $(IMAGE) | \
		awk '{printf "%s %s bytes (%.1f MB)\n", $$1, $$2, $$2 / 1e6}'

# The compose stack (compose.yaml) on this machine's images: the tools image has Debian's nginx,
# Prometheus and Pushgateway at the official images' paths. COMPOSE="docker compose" and
# WT_TOOLS_IMAGE= WT_PROMETHEUS_IMAGE= WT_PUSHGATEWAY_IMAGE= use the official images instead.
# podman-compose is the locked one in .venv (a dev dependency): Debian's 1.0.3 fails on the
# proxy's fixed address. WT_SUBNET_PREFIX: the first three numbers of the stack's /24 network.
COMPOSE ?= $(BIN)/podman-compose
STACK ?= world-timer
WT_SUBNET_PREFIX ?= 172.31.80
WT_PROXY_PORT ?= 8080
WT_PROMETHEUS_PORT ?= 9090
WT_PUSHGATEWAY_PORT ?= 9091
WT_IMAGE ?= $(IMAGE)
WT_TOOLS_IMAGE ?= $(STACK_BASE)
WT_PROMETHEUS_IMAGE ?= $(WT_TOOLS_IMAGE)
WT_PUSHGATEWAY_IMAGE ?= $(WT_TOOLS_IMAGE)
export WT_SUBNET_PREFIX WT_PROXY_PORT WT_PROMETHEUS_PORT WT_PUSHGATEWAY_PORT WT_IMAGE WT_TOOLS_IMAGE \
	WT_PROMETHEUS_IMAGE WT_PUSHGATEWAY_IMAGE

stack-images: image ## The image, and the stack's tools image unless it exists
	$(PODMAN) image exists $(STACK_BASE) || \
		LINKS="/usr/bin/prometheus-pushgateway:/usr/bin/pushgateway" sh deploy/image/base.sh \
		$(STACK_BASE) nginx-light,prometheus,prometheus-pushgateway,ca-certificates $(SUITE)

stack-up: stack-images ## Start compose.yaml (2 replicas, nginx :8080, Prometheus :9090, Pushgateway :9091)
	$(COMPOSE) -p $(STACK) up -d >/dev/null
	@# podman-compose exits 0 even when a service's container could not be created.
	@n=$$($(PODMAN) ps --quiet --filter label=com.docker.compose.project=$(STACK) \
		--filter label=com.docker.compose.service=world-timer | wc -l); [ "$$n" -ge 1 ] || \
		{ echo "stack-up: no world-timer replica is running (see the errors above)" >&2; exit 1; }
	@echo "stack $(STACK): http://127.0.0.1:$(WT_PROXY_PORT)/api/timezone/Asia/Tokyo," \
		"Prometheus http://127.0.0.1:$(WT_PROMETHEUS_PORT), Pushgateway :$(WT_PUSHGATEWAY_PORT)"

# podman-compose stops, then removes, each container: one in a restart loop (restart:
# unless-stopped, e.g. nginx when no replica resolves) can start again in between and stay, with
# the network it holds. Whatever still carries the project's label is force-removed, and the pod
# podman-compose puts the services in (pod_STACK; no shared namespaces: each keeps its own).
stack-down: $(STAMP) ## Stop and remove the stack's containers and network
	$(COMPOSE) -p $(STACK) down >/dev/null
	$(PODMAN) ps --all --quiet --filter label=io.podman.compose.project=$(STACK) | \
		xargs -r $(PODMAN) rm --force --time 0 >/dev/null
	-$(PODMAN) pod exists pod_$(STACK) && $(PODMAN) pod rm --force pod_$(STACK) >/dev/null
	-$(PODMAN) network exists $(STACK)_default && $(PODMAN) network rm $(STACK)_default >/dev/null

stack-test: ## Check the running stack: replicas up in Prometheus, proxy, Pushgateway
	$(PYTHON) utils/stack_check.py --proxy http://127.0.0.1:$(WT_PROXY_PORT) \
		--prometheus http://127.0.0.1:$(WT_PROMETHEUS_PORT) \
		--pushgateway http://127.0.0.1:$(WT_PUSHGATEWAY_PORT)

test-container: $(STAMP) ## Container tests (podman): image, stack; not part of `make test`
	$(BIN)/python -m pytest -q -m container -p no:cacheprovider tests/test_container.py

clean: ## Remove the venv, caches and build output (keeps logs/)
	rm -rf $(VENV) $(TOOLS) dist build .bench .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
