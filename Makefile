# Quầy Một Cửa: two commands do all the set-up (see README).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres bench install clean-venv dist dist-test

run: $(STAMP)
	$(VPY) main.py demo-init --if-missing
	$(VPY) main.py

# Lint, then types (strict on counter/, db/, printing/: pyproject.toml [tool.mypy]), then the suite in
# two worker processes (pyproject.toml addopts) on SQLite, then the core of the database-touching tests again on
# PostgreSQL (a throwaway cluster per worker, tests/pg.py: if it cannot start, the run fails saying why; the tests
# about the SQLite file itself are deselected and listed at the end). Each step stops the target when it fails.
# PG_CORE keeps CI within its time: reports, the sync engine, the core path of counter/, a UI smoke and the Báo cáo
# screen (its computations cancelled with PostgreSQL's cancel request) (tests/db's
# PostgreSQL tests already ran in the first pass, on their own cluster); `make test-postgres` runs every
# database-touching test on PostgreSQL (PG_ALL, about as long as the SQLite run).
PG_CORE := tests/reports tests/sync/test_sync_once.py tests/sync/test_engine.py tests/sync/test_settings.py \
	tests/counter/test_reception.py tests/counter/test_lifecycle.py tests/counter/test_lookup_search.py \
	tests/counter/test_board.py tests/counter/test_first_run.py tests/counter/test_users.py \
	tests/counter/test_audit.py tests/ui/test_postgres_smoke.py tests/ui/test_reports_page.py
PG_ALL := tests/counter tests/db tests/sync tests/reports $(wildcard tests/test_cli*.py) tests/ui/test_postgres_smoke.py \
	tests/ui/test_reports_page.py
test: $(STAMP)
	$(VPY) -m ruff check .
	$(VPY) -m mypy
	$(VPY) -m pytest -q
	$(VPY) -m pytest -q --engine=postgresql $(PG_CORE)

test-postgres: $(STAMP)
	$(VPY) -m pytest -q --engine=postgresql $(PG_ALL)

bench: $(STAMP)
	$(VPY) -m pytest -q -s tests/bench --override-ini addopts=

# The frozen one-folder build (packaging/quay-mot-cua.spec) in dist/quay-mot-cua/, and the Linux .tar.gz beside
# it; `dist-test` runs the smoke test against that binary, not the source (tests/packaging/test_frozen.py).
DIST := dist/quay-mot-cua
dist: $(STAMP)
	rm -rf $(DIST) build/quay-mot-cua
	$(VPY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build \
		packaging/quay-mot-cua.spec
	bash packaging/linux/make-tarball.sh $(DIST) "$$($(VPY) -c 'from counter.version import version; print(version())')"

dist-test: dist
	QMC_FROZEN=$(DIST)/quay-mot-cua QT_QPA_PLATFORM=offscreen $(VPY) -m pytest -q tests/packaging

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/install-system-deps.sh
	bash scripts/install-system-deps.sh
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

clean-venv:
	rm -rf $(VENV)
