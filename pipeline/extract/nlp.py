"""Build the extract stage's spaCy pipeline from pipeline/config.cfg."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the policyx_* factories)

CONFIG_PATH = Path(__file__).resolve().parent.parent / "config.cfg"

_cache: dict[str, Language] = {}
_lock = threading.Lock()


def load_settings(config_path: str | Path = CONFIG_PATH) -> dict[str, Any]:
    return spacy.util.load_config(config_path, interpolate=True)


def build_nlp(config_path: str | Path = CONFIG_PATH) -> Language:
    """The model (minus excluded components) followed by the policyx components."""
    cfg = load_settings(config_path)
    base = cfg["base"]
    nlp = spacy.load(base["model"], exclude=list(base.get("exclude", [])))
    for name in cfg["nlp"]["pipeline"]:
        comp_cfg = dict(cfg["components"][name])
        factory = comp_cfg.pop("factory", name)
        nlp.add_pipe(factory, name=name, config=comp_cfg)
    nlp.max_length = max(nlp.max_length, int(base.get("max_chars_per_doc", 100000)) + 1)
    nlp.meta.setdefault("policyx", {})["batch_size"] = int(base.get("batch_size", 64))
    nlp.meta["policyx"]["max_chars_per_doc"] = int(base.get("max_chars_per_doc", 100000))
    return nlp


def get_nlp() -> Language:
    """One pipeline per process (the model loads once)."""
    with _lock:
        if "default" not in _cache:
            _cache["default"] = build_nlp()
        return _cache["default"]
