"""Pure normalizers: strings in, typed values out. No spaCy, never raise."""
