"""The console (Textual): steps, screens, widgets and styles; a thin front of `services/`.

See docs/architecture.md for the layers and where each step lives.
"""
