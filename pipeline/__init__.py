"""policyx: policy papers -> analysts' tables."""
__version__ = "0.1.0"
