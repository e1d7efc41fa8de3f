"""The PySide6 window: thin views over kiosk/ and scanner/. Only this package imports Qt."""
