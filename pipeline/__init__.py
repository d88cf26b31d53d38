"""policyx: policy papers -> analysts' tables.

    from pipeline import load
    tables = load("output")   # documents, mentions, measures, programs, references
"""
__version__ = "0.1.0"


def __getattr__(name):
    # Lazy: the stage CLIs should not pay for importing pandas.
    if name == "load":
        from .load import load
        return load
    raise AttributeError(name)
