# Two commands do everything: `make run` (install, index, chat on http://127.0.0.1:7860)
# and `make test`. `make install` is the idempotent step both use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install run test lint eval gate bench index clean browser-deps screenshot

install: $(STAMP)

# torch first and pinned: pip takes this machine's CPU wheel; left free it pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev,ray,onnx]"
	touch $(STAMP)

run: install
	$(BIN)/chatbot index
	$(BIN)/chatbot serve --host 127.0.0.1 --port 7860

index: install
	$(BIN)/chatbot index

# Debian's chromium drives the browser tests (Playwright cannot download its own browser here).
browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install -y chromium" >&2; fi; }

test: install browser-deps
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check chatbot tests benchmarks

# The development set (tuned on) with its misses, the held-out set (never tuned on), and a second
# corpus of unrelated documents (written blind, then used to fix follow-ups there).
eval: install
	$(BIN)/chatbot eval --failures
	@echo "--- held-out set"
	$(BIN)/chatbot eval --questions eval/holdout_questions.jsonl --conversations eval/holdout_conversations.jsonl
	@echo "--- second corpus: three unrelated documents"
	$(BIN)/chatbot eval --corpus eval/other/corpus --index eval/other/.index \
	  --questions eval/other/questions.jsonl --conversations eval/other/conversations.jsonl
	@echo "--- held-out corpus: four unrelated documents, never tuned on"
	$(BIN)/chatbot eval --corpus eval/holdout_other/corpus --index eval/holdout_other/.index \
	  --questions eval/holdout_other/questions.jsonl --conversations eval/holdout_other/conversations.jsonl
	@echo "--- real documents: three public manuals in txt, PDF, HTML and DOCX (held-out questions)"
	$(BIN)/python eval/real/run.py --split heldout --write
	@echo "--- real documents: the Filesystem Hierarchy Standard in txt, PDF, HTML and DOCX (held-out questions)"
	$(BIN)/python eval/real/run.py --set fhs --split heldout --write

# The equivalence gate for encoder backends (needs the onnx extra): vectors within a cosine bound of torch's,
# and replies on every held-out set unchanged for >= 98% with no metric worse (chatbot/gate.py).
gate: install
	bash eval/real/prepare.sh
	$(BIN)/python eval/backend_gate.py

bench: install
	$(BIN)/python -m benchmarks.run

screenshot: install browser-deps
	$(BIN)/python -m pytest -q tests/test_browser.py tests/test_browser_library.py -k screenshot

clean:
	rm -rf $(VENV) index/current index/build-* .pytest_cache
