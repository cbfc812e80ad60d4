"""Modal and full screens of the console: help, settings, confirmation, item picker, customer card."""
