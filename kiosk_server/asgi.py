"""The ASGI app for uvicorn workers: the database URL comes from $KIOSK_SERVER_DB."""

import os

from kiosk_server.app import create_app

app = create_app(os.environ["KIOSK_SERVER_DB"])
