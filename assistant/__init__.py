"""Sharewise: guidance on safeguarding information sharing, quoted exactly, offline.

The package: `pipeline` (the orchestrator, the only code that orders a turn's stages and records it),
the stages it calls (`inputs`, `retrieve` over the `index` store built from `corpus` by `chunking` and
`embedding`, `quotes`, `checking` over the pure `rules/` package, `audit`), the typed results that
cross every border (`types`), `render/` (every word and page the user reads) and the edges that turn
them into JSON, text or screens (`cli`, `ui/`). Evaluation (`evaluate`, `metrics`, `bench`,
`baseline`, `eval_report`) measures the stages without recording anything.
"""

import os

__version__ = "0.1.0"

# Offline and private by default. These must be set before anything imports huggingface_hub,
# transformers or sentence_transformers, so they live here rather than at an entry point
# (setdefault: an operator's explicit choice still wins).
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ.setdefault(_name, _value)
