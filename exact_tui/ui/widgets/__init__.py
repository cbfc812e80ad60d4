"""Widgets of the console's frame: status header, checklist rail, integration log pane."""
