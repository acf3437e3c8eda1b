# Quầy Một Cửa: two commands do all the set-up (see README).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench install clean-venv

run: $(STAMP)
	$(VPY) main.py demo-init --if-missing
	$(VPY) main.py

# Lint, then types (strict on counter/, db/, printing/: pyproject.toml [tool.mypy]), then the suite in
# two worker processes (pyproject.toml addopts); each step stops the target when it fails.
test: $(STAMP)
	$(VPY) -m ruff check .
	$(VPY) -m mypy
	$(VPY) -m pytest -q

bench: $(STAMP)
	$(VPY) -m pytest -q -s tests/bench --override-ini addopts=

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/install-system-deps.sh
	bash scripts/install-system-deps.sh
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

clean-venv:
	rm -rf $(VENV)
