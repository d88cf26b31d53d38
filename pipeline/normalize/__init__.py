"""Pure normalizers: strings in, typed values out. No spaCy; a bug raises NormalizerError naming the finder."""
