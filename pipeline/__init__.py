"""policyx: policy papers -> analysts' tables.

    from pipeline import load
    tables = load("output")   # documents, mentions, measures, programs, references, registries
"""
__version__ = "0.1.0"


def __getattr__(name):
    # Lazy: the stage CLIs should not pay for importing pandas. Importing the
    # submodule binds pipeline.load to the module, which would then shadow the
    # function: rebind the function, and the module is callable too
    # (pipeline/load.py), so `from pipeline import load; load("output")`
    # works whichever was imported first.
    if name == "load":
        from .load import load
        globals()["load"] = load
        return load
    raise AttributeError(name)
