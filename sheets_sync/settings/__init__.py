"""The settings: typed, frozen values (`types`), loaded and validated from a TOML file (`load`),
with secrets taken only from the environment (`credentials`)."""
