# The course's commands. `make lab` and `make test` are all a learner needs.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8888
OPEN ?= notebooks/01_numpy_by_hand.ipynb
# JupyterLab refuses to run as root unless told; containers often run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

# One BLAS/OpenMP thread wherever notebooks run: sums keep one order, outputs stay stable.
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export PYDEVD_DISABLE_FILE_VALIDATION = 1

.PHONY: lab present slides site test quick refresh translate student contents format clean

# The course's JupyterLab defaults (binder/overrides.json: no news prompt, no update check),
# in the environment's own settings, below every user's settings.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings

$(STAMP): requirements.txt pyproject.toml binder/overrides.json
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	mkdir -p $(LAB_SETTINGS) && cp binder/overrides.json $(LAB_SETTINGS)/overrides.json
	touch $@

LAB := $(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) $(ALLOW_ROOT) \
	--ServerApp.root_dir=.

## lab: open the course in JupyterLab (localhost only, token kept); OPEN=... picks the notebook
lab: $(STAMP)
	$(LAB) $(OPEN)

## present: JupyterLab for a projector: large type, from the theme settings in tools/projector
## (its settings live in .jupyter-present/, apart from your own)
present: $(STAMP)
	rm -rf .jupyter-present && mkdir -p .jupyter-present && cp -r tools/projector .jupyter-present/user-settings
	$(LAB) --LabApp.user_settings_dir=.jupyter-present/user-settings $(OPEN)

## slides: one reveal.js deck per notebook in slides/ (and slides/zh-CN/), offline
slides: $(STAMP) node_modules/.package-lock.json
	$(PY) -m tools.slides slides

## site: the course website in site/_build/html/ (the Chinese edition in its zh-CN/), offline,
## with its zip and a PDF per edition beside it; COURSE_REPO=owner/repo sets the launch links
site: $(STAMP) node_modules/.package-lock.json
	$(PY) -m tools.site

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Tests spread over the CPU's cores, one module (or class) per worker at a time.
XDIST := -n auto --dist loadscope --no-loadscope-reorder

## test: every test: unit, nbval, translation, hygiene, lint, stability, mutations, classroom, slides,
## site, browser
test: $(STAMP)
	$(PY) -m pytest $(XDIST)

## quick: the same without the slow tiers (stability, mutations, classroom, slides, site, browser)
quick: $(STAMP)
	$(PY) -m pytest $(XDIST) -m "not slow"

## refresh: re-execute every notebook top to bottom, store its outputs, rebuild the Chinese edition
refresh: $(STAMP)
	$(PY) tools/contents.py
	$(PY) tools/refresh.py
	$(PY) -m tools.translate

## translate: update the catalogs in i18n/zh-CN and build notebooks/zh-CN from them
translate: $(STAMP)
	$(PY) -m tools.translate

## student: write the student edition (solutions replaced by stubs) to student/ and student/zh-CN/
student: $(STAMP)
	$(PY) -m tools.make_student student

## contents: rewrite the READMEs' contents tables and the notebooks' nav links
contents: $(STAMP)
	$(PY) tools/contents.py

## format: apply ruff's fixes and formatting
format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache student slides site/_build node_modules test-artifacts \
		.jupyter-present
