# Quầy Một Cửa: two commands do all the set-up (see README).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench install clean-venv

run: $(STAMP)
	$(VPY) main.py demo-init --if-missing
	$(VPY) main.py

test: $(STAMP)
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
