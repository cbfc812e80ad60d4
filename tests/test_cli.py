"""The entry point: fast help/version, sub-command discovery, global options, profiles, --json."""
import argparse
import json
import subprocess
import sys

import pytest

from exact_tui import __version__
from exact_tui.cli import _console_args, build_parser, main
from exact_tui.paths import profile_dir


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


# -- the console's command line, parsed without the command modules -----------------------------------

@pytest.mark.parametrize("argv", [[], ["--profile", "acme"], ["--data-dir", "/d", "--profile", "b"], ["--json"],
                                  ["--prof", "x"], ["--profile=acme"], ["--profile", "a", "--profile", "b"]])
def test_the_console_command_line_parses_as_the_full_parser_parses_it(argv):
    fast = _console_args(argv)
    assert fast is not None and vars(fast) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["doctor"], ["--profile", "a", "doctor", "--json"], ["--help"], ["-h"], ["--he"],
                                  ["--profile"], ["--bogus"], ["--json", "x"], ["--", "doctor"]])
def test_any_other_command_line_goes_to_the_full_parser(argv):
    assert _console_args(argv) is None


def test_help_and_a_mistake_read_as_before(capsys):
    """`--help` lists the commands; a bad option is reported with the full usage line."""
    for argv in (["--help"], ["--profile"]):
        with pytest.raises(SystemExit):
            main(argv)
        out, err = capsys.readouterr()
        with pytest.raises(SystemExit):
            build_parser().parse_args(argv)
        assert capsys.readouterr() == (out, err) and "COMMAND" in out + err


# -- global options before or after the sub-command ------------------------------------------------

@pytest.mark.parametrize("argv,profile,data_dir,as_json", [
    (["--profile", "acme", "doctor"], "acme", None, False),
    (["doctor", "--profile", "acme"], "acme", None, False),
    (["--profile", "acme", "doctor", "--json"], "acme", None, True),
    (["--json", "--data-dir", "/d", "doctor"], "default", "/d", True),
    (["--data-dir", "/d", "doctor", "--profile", "b"], "b", "/d", False),  # one after does not clobber one before
    (["--profile", "a", "doctor", "--profile", "b"], "b", None, False),  # after the sub-command wins
    (["--json", "match", "l.csv", "e.csv", "--out", "p.csv"], "default", None, True),  # a command's own --json too
    (["match", "l.csv", "e.csv", "--out", "p.csv", "--json", "--profile", "x"], "x", None, True),
    (["transfers", "--status", "pending", "--data-dir", "/d"], "default", "/d", False),
])
def test_global_options_work_before_and_after_the_sub_command(argv, profile, data_dir, as_json):
    args = build_parser().parse_args(argv)
    assert (args.profile, args.data_dir, args.json) == (profile, data_dir, as_json)


def test_every_sub_command_takes_the_global_options_after_it():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        flags = {s for a in command._actions for s in a.option_strings}
        assert {"--profile", "--data-dir", "--json"} <= flags, name


# -- a read-only command on a mistyped profile --------------------------------------------------------

READ_ONLY = [["doctor"], ["transfers"], ["export", "customers", "-"], ["next-number"], ["bundle"], ["reconcile"],
             ["run"], ["sync", "payments"], ["transfer", "--all"], ["connect", "--status"], ["connect", "--disconnect"],
             ["setup"], ["setup", "division"], ["link"]]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c))
def test_a_mistyped_profile_is_named_and_not_created(tmp_path, capsys, command):
    data = tmp_path / "data"
    for name in ("acme", "beta"):
        profile_dir(name, data)
    code = main(["--data-dir", str(data), "--profile", "acme-bv", *command])
    err = capsys.readouterr().err
    assert code == 2
    assert "profile 'acme-bv' does not exist (known: acme, beta)" in err and "Traceback" not in err
    assert sorted(p.name for p in (data / "profiles").iterdir()) == ["acme", "beta"]


def test_a_mistyped_profile_after_the_sub_command_is_refused_too(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "doctor", "--profile", "nope"]) == 2
    assert "profile 'nope' does not exist (no profiles yet in" in capsys.readouterr().err
    assert not (data / "profiles" / "nope").exists()


def test_json_is_refused_where_a_command_has_no_result_to_print(capsys):
    assert main(["--json", "sandbox"]) == 2
    assert "--json is not available" in capsys.readouterr().err


def test_json_events_on_stderr_are_one_object_per_line(capsys):
    import sys as _sys

    from exact_tui.services.events import EventBus, Side
    from exact_tui.services.headless import progress_printer

    bus = EventBus()
    bus.subscribe(progress_printer(_sys.stderr, as_json=True))
    bus.subscribe(progress_printer(_sys.stdout))
    bus.info("invoice 1 transferred", side=Side.EXACT, topic="transfer", record="invoice 1", progress=(1, 2))
    bus.warning("slow down", topic="api")  # one line per HTTP call is the log's job
    bus.error("refused", topic="transfer")
    captured = capsys.readouterr()
    events = [json.loads(line) for line in captured.err.splitlines()]
    assert [e["message"] for e in events] == ["invoice 1 transferred", "refused"]
    assert events[0]["progress"] == [1, 2] and events[0]["side"] == "exact" and events[0]["record"] == "invoice 1"
    assert captured.out.splitlines() == ["[1/2] invoice 1 transferred", "error: refused"]
