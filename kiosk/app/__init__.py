"""The application: the `kiosk` command and the demo seeding.

The one package of `kiosk` allowed to import every layer (`ui`, `sync`, `scanner`); the rest of
`kiosk` is the domain core and imports none of them (the layers contract in pyproject.toml,
checked by `lint-imports` in `make test`).
"""
