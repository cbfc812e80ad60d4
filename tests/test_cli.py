"""The entry point: fast help/version and sub-command discovery."""
import subprocess
import sys

from exact_tui import __version__
from exact_tui.cli import build_parser, main


def test_version_is_printed(capsys):
    try:
        main(["--version"])
    except SystemExit as stop:
        assert stop.code == 0
    assert __version__ in capsys.readouterr().out


def test_help_does_not_import_textual():
    code = "import sys; from exact_tui.cli import build_parser; build_parser().format_help(); print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_profile_and_data_dir_are_global_options():
    args = build_parser().parse_args(["--profile", "acme", "--data-dir", "/tmp/x"])
    assert args.profile == "acme" and args.data_dir == "/tmp/x"
