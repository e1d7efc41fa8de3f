"""Camera, readers and decoders (plain Python: no Qt, so the CLI decodes as the window does)."""
