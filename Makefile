# ecomdwh: the front door. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
CLI       := $(VENV)/bin/ecomdwh
INSTALLED := $(VENV)/.installed
EMULATOR  ?= moto
PORT      ?= 4566
TARGET    ?= local
export EMULATOR PORT TARGET

# `make test integration` / `make test unit`: the words after `test` pick the suite.
ifeq (test,$(firstword $(MAKECMDGOALS)))
  TEST_SUITE := $(word 2,$(MAKECMDGOALS))
  $(eval $(TEST_SUITE):;@:)
endif

.PHONY: help install install-localstack local-up local-down status smoke test test-unit test-integration test-localstack lint lint-workflows secret-scan package-lambdas demo run deploy plan destroy cost install-checkov tf-check generate install-chromium dq report report-check

help: ## List every target
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[36m%-20s\033[0m %s\n", $$1, $$2}'

$(INSTALLED): requirements.lock pyproject.toml scripts/install.sh
	@scripts/install.sh

install: $(INSTALLED) ## Create .venv with the pinned dependencies (requirements.lock)

$(VENV)-localstack/.installed: emulation/localstack-constraints.txt scripts/install-localstack.sh | $(INSTALLED)
	@scripts/install-localstack.sh

install-localstack: $(VENV)-localstack/.installed ## Install LocalStack host mode (needs Python 3.13) for EMULATOR=localstack

install-chromium: ## Install Chromium from Debian's packages if /usr/bin/chromium is missing (report browser test)
	@scripts/install-chromium.sh

local-up: $(INSTALLED) ## Start the local AWS emulator on 127.0.0.1 (PORT=4566, EMULATOR=moto|localstack)
	@if [ "$(EMULATOR)" = localstack ]; then $(MAKE) --no-print-directory install-localstack; fi
	@$(CLI) local up

local-down: $(INSTALLED) ## Stop the local AWS emulator (its state is kept under .local/)
	@$(CLI) local down

status: $(INSTALLED) ## Show the local AWS emulator's status
	@$(CLI) local status

smoke: local-up ## Check the running emulator end to end: S3, Glue, Step Functions
	@$(CLI) local smoke

test: $(INSTALLED) ## Run unit then integration tests (`make test unit|integration` for one suite)
	@case "$(TEST_SUITE)" in \
	  "") $(MAKE) --no-print-directory test-unit test-integration ;; \
	  unit|integration) $(MAKE) --no-print-directory test-$(TEST_SUITE) ;; \
	  *) echo "unknown suite '$(TEST_SUITE)': use make test, make test unit or make test integration" >&2; exit 2 ;; \
	esac

test-unit: $(INSTALLED) ## Unit tests: fast, no servers
	@$(PY) -m pytest tests/unit -q

test-integration: $(INSTALLED) install-chromium ## Integration tests: real emulator process, Spark, DuckDB, Terraform, Chromium
	@$(PY) -m pytest tests/integration -q

test-localstack: $(INSTALLED) ## The emulator integration tests against LocalStack host mode (skips, saying why, without Python 3.13)
	@if $(PY) -c 'from emulation.localstack import find_python313 as f; raise SystemExit(f() is None)'; then \
	  $(MAKE) --no-print-directory install-localstack && EMULATOR=localstack $(PY) -m pytest tests/integration/test_emulator.py -q -rs; \
	else echo "SKIPPED test-localstack: LocalStack host mode needs Python 3.13 (pyenv install 3.13)"; fi

lint: $(INSTALLED) ## ruff lint and format check, GitHub workflow check, secret scan
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(MAKE) --no-print-directory lint-workflows
	@$(MAKE) --no-print-directory secret-scan

secret-scan: $(INSTALLED) ## detect-secrets over the git-tracked files; fails on any finding not reviewed in .secrets.baseline
	@$(PY) scripts/secret_scan.py

lint-workflows: $(INSTALLED) ## .github/workflows against GitHub's workflow schema; every `make X` they run must exist
	@$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	@for target in $$(grep -ohE '\bmake [a-z][a-z-]*' .github/workflows/*.yml | awk '{print $$2}' | sort -u); do \
	  grep -qE "^$$target:" Makefile || { echo "error: .github/workflows run 'make $$target', which the Makefile does not define; add the target or fix the workflow" >&2; exit 1; }; \
	done

.PHONY: etl bench-etl
etl: local-up ## PySpark raw -> processed on the running emulator: every new landed batch (or INGEST_DATE=YYYY-MM-DD)
	@set -a; . .local/emulator/env; set +a; $(PY) etl/jobs/raw_to_processed.py --JOB_NAME raw_to_processed \
	  $(if $(filter command line environment,$(origin INGEST_DATE)),--ingest_date $(INGEST_DATE))

bench-etl: $(INSTALLED) ## ETL benchmark: raw -> processed of every entity at 1M orders (SCALE=200), Spark start-up apart
	@$(PY) bench/bench_etl.py --scale $(or $(SCALE),200)

INGEST_DATE ?= $(shell date -u +%F)
warehouse: local-up ## Build the warehouse for one day via the Redshift Data API (INGEST_DATE=YYYY-MM-DD; idempotent)
	@$(CLI) warehouse build --ingest-date $(INGEST_DATE)

warehouse-check: $(INSTALLED) ## Every warehouse_sql file through the strict gate (what Redshift would reject)
	@$(CLI) warehouse check

bench-warehouse: $(INSTALLED) ## Warehouse benchmark: build at ORDERS=1000000, 10% SCD2 change batch, each analytics query
	@$(PY) bench/bench_warehouse.py --orders $(or $(ORDERS),1000000)

.PHONY: bench-pipeline
bench-pipeline: $(INSTALLED) ## Whole-pipeline benchmark on a fresh emulator: SCALE=200 (1M orders) DAYS=1 [SCALES=20,200,2000]; vs tpchgen, DuckDB
	@$(PY) bench/bench_pipeline.py --scale $(or $(SCALE),200) --days $(or $(DAYS),1) $(if $(SCALES),--scales $(SCALES))

dq: local-up ## Run the data-quality checks on the warehouse: results to dq_results, CloudWatch, SNS (exit 2: pipeline must stop)
	@$(CLI) dq run

report: local-up ## Build the HTML report with charts from the marts: .local/report/index.html (offline)
	@$(CLI) report build

report-check: install-chromium ## Open the built report in headless Chromium: every chart renders, no console errors, screenshot
	@$(CLI) report check

package-lambdas: $(INSTALLED) ## Build the Lambda zips Terraform deploys (.local/lambda/*.zip)
	@$(PY) -m lambdas.raw_validation.package .local/lambda/raw_validation.zip

generate: $(INSTALLED) ## Synthetic source data: SCALE=1 DAYS=1 [SEED=42 DIRTY_RATE=0 DEST=dir|s3://...] (default DEST: raw bucket)
	@$(CLI) generate --scale $(or $(SCALE),1) --days $(or $(DAYS),1) --seed $(or $(SEED),42) \
	  --dirty-rate $(or $(DIRTY_RATE),0) $(if $(DEST),--dest $(DEST))

demo: ## Everything on the embedded emulator: install, local-up, deploy, day 0 + DAYS=2 change days through the pipeline, summary
	@$(MAKE) --no-print-directory deploy
	@$(CLI) demo --days $(or $(DAYS),2) --scale $(or $(SCALE),0.2)

run: ## One day through the deployed pipeline on the running stack: DAY=N [SCALE=0.2 DIRTY_RATE=0.01]
	@$(CLI) run --day $(or $(DAY),$(error DAY is required, e.g. make run DAY=3)) --scale $(or $(SCALE),0.2)

ENV ?= local
TERRAFORM := TARGET=$(TARGET) ENV=$(ENV) scripts/terraform.sh

deploy: $(INSTALLED) ## terraform init/plan/apply of infra/terraform (TARGET=local: the emulator; TARGET=aws ENV=dev|staging|prod)
	@if [ "$(TARGET)" = local ]; then $(MAKE) --no-print-directory local-up >/dev/null; fi
	@$(TERRAFORM) deploy

plan: $(INSTALLED) ## terraform plan, no changes made (ENV=dev|staging|prod alone: that AWS env against the emulator, no credentials)
	@if [ "$(TARGET)" = local ]; then $(MAKE) --no-print-directory local-up >/dev/null; fi
	@$(TERRAFORM) plan

cost: $(INSTALLED) ## Monthly cost estimate of ENV=dev|staging|prod from its plan's billed resources (against the emulator: no credentials)
	@if [ "$(TARGET)" = local ]; then $(MAKE) --no-print-directory local-up >/dev/null; fi
	@$(TERRAFORM) cost

destroy: $(INSTALLED) ## terraform destroy of TARGET/ENV (asks for confirmation in AWS)
	@$(TERRAFORM) destroy

$(VENV)-checkov/.installed: infra/requirements-checkov.lock scripts/install-checkov.sh
	@scripts/install-checkov.sh

install-checkov: $(VENV)-checkov/.installed ## Create .venv-checkov with the pinned checkov (infra/requirements-checkov.lock)

tf-check: $(VENV)-checkov/.installed ## terraform fmt -check, validate every env, checkov static security scan
	@scripts/terraform.sh check
