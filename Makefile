# helmsman.kubeadm: entry points. Every target prepares what it needs (scripts/bootstrap.sh).
#   make lab         bring up the lab (registry, master, 2 workers) and run site.yml on it
#   make test        the whole suite: units, integration, sanity, lint, every Molecule scenario
#   make quick       the iteration loop: units + integration + lint + one Molecule scenario
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export ANSIBLE_HOME := $(CURDIR)/.cache/ansible-home
export ANSIBLE_NOCOLOR := 1
export PY_COLORS := 0
WORKERS ?= 2
SCENARIO ?= modules
COLLECTION_LINK := .cache/collections/ansible_collections/helmsman/kubeadm

.PHONY: setup bundle lab lab-down units integration sanity lint molecule quick test build clean

setup:
	@scripts/bootstrap.sh
	@mkdir -p $(dir $(COLLECTION_LINK)) $(ANSIBLE_HOME)
	@[ -L $(COLLECTION_LINK) ] || ln -s ../../../.. $(COLLECTION_LINK)

export HELMSMAN_BUNDLE_DIR := $(CURDIR)/.cache/bundle

lab: setup bundle
	$(BIN)/python tests/lab/lab.py up --lab lab --workers $(WORKERS)
	$(BIN)/ansible-playbook -i inventory/lab site.yml

bundle: setup
	@$(BIN)/python tests/bundle/build.py $(HELMSMAN_BUNDLE_DIR) >/dev/null

lab-down: setup
	$(BIN)/python tests/lab/lab.py down --lab lab

units: setup
	$(BIN)/pytest -q tests/unit

integration: setup
	$(BIN)/pytest -q tests/integration

sanity: setup
	scripts/ansible-test.sh sanity --venv --python 3.11

lint: setup
	$(BIN)/yamllint -s .
	$(BIN)/ansible-lint --profile production
	shellcheck scripts/*.sh .ci/run

molecule: setup
	scripts/molecule.sh $(SCENARIO)

build: setup
	mkdir -p .cache/build && $(BIN)/ansible-galaxy collection build --force --output-path .cache/build .

quick: setup
	$(BIN)/pytest -q -m "not lab" tests/unit tests/integration
	$(MAKE) --no-print-directory lint
	scripts/molecule.sh $(SCENARIO)

# The whole suite; the last line pytest prints is the summary CI shows.
test: setup
	scripts/run-suite.sh

clean: lab-down
	rm -rf .cache tests/output
