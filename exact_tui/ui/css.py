"""Where the console's stylesheets are. Styles live in .tcss files, never in Python strings.

Absolute paths, so a stylesheet named by the app and by a screen (the Link screen and the card need
the widgets' styles in a host app of their own, e.g. in tests) is read once.
"""
from pathlib import Path

UI = Path(__file__).resolve().parent
APP = UI / "app.tcss"  # the frame: header, rail, steps area, log pane, footer
WIDGETS = UI / "widgets" / "widgets.tcss"  # problem box, status line, header, rail, log pane
STEPS = UI / "steps" / "steps.tcss"  # the eight step panes
SCREENS = UI / "screens" / "screens.tcss"  # dialogs (confirm, pick, ask, help), settings, customer card
LINKING = UI / "linking" / "linking.tcss"  # the Link customers screen and its table
TRANSFERS = UI / "transfers" / "transfers.tcss"  # the Transfers screen and the invoice timeline
RECONCILE = UI / "reconcile" / "reconcile.tcss"  # the Reconcile screen
