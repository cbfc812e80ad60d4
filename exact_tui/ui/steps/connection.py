"""Step 1: client id/secret, country, the SSH-friendly login (URL + paste back), then who is connected."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Label, Static

if TYPE_CHECKING:  # pragma: no cover
    from textual.widgets import TextArea

from ...services import connection as svc
from ..widgets.toggles import ShapedCheckbox
from ..shown import printable
from .base import StepView


class ConnectionStep(StepView):
    KEY, NUMBER, TITLE = "connection", 1, "Connection"
    INTRO = ("Connect this profile to Exact Online. Works over SSH: open the login link in a browser on any "
             "machine, log in, then paste back the address the browser ends on.")
    BINDINGS = [
        Binding("ctrl+g", "login_link", "Login link", id="connection.login_link"),
        Binding("ctrl+t", "listen", "Listen locally", show=False, id="connection.listen"),  # a button too
        # priority: also from the paste box, where Input would take ctrl+e as "go to end"
        Binding("ctrl+e", "demo_approve", "Demo approve", id="connection.demo_approve", priority=True),
        Binding("ctrl+x", "disconnect", "Disconnect", show=False, id="connection.disconnect", priority=True),  # Input: cut
        Binding("ctrl+l", "copy_link", "Copy link", id="connection.copy_link"),
        Binding("ctrl+o", "plain_link", "Plain link", id="connection.plain_link"),
    ]

    def __init__(self, session, **kw) -> None:
        super().__init__(session, **kw)
        self.attempt: svc.LoginAttempt | None = None
        self.report: svc.ConnectionReport | None = None

    def compose_body(self):
        form = svc.load_form(self.session)
        # first, so what to do next and "connected as …" are what a small terminal shows
        yield Button("Next step: 2 Division", id="next-step", variant="success")
        yield Static("", id="established")
        with Horizontal(classes="row"):
            yield Label("Country / host")
            yield Input(form.host, id="host", placeholder="nl, be, de, uk, fr, es, us — or a full https:// URL")
        with Horizontal(classes="row"):
            yield Label("Client id")
            yield Input(form.client_id, id="client-id", placeholder="from the app registration (or $EXACT_CLIENT_ID)")
        with Horizontal(classes="row"):
            yield Label("Client secret")
            yield Input(form.client_secret, id="client-secret", password=True,
                        placeholder="not shown, never logged (or $EXACT_CLIENT_SECRET)")
        with Horizontal(classes="row"):
            yield Label("Redirect URI")
            yield Input(form.redirect_uri, id="redirect-uri", placeholder="exactly as registered")
        keep = ShapedCheckbox("Keep the client secret (0600 file)", form.keep_secret, id="keep-secret")
        keep.tooltip = "Kept in this profile's own file (mode 0600), never in the store or the log"
        yield keep
        with Horizontal(classes="buttons"):
            # short labels so all three fit at 80 columns; their keys are in the footer and the help
            yield Button("Login link", id="make-link", variant="primary")
            yield Button("Listen locally", id="listen", disabled=True)
            yield Button("Disconnect", id="disconnect", disabled=True)
        yield Static("", id="link-help", classes="status")
        # the link's box (#login-url) comes here with the first link: see `_login_url`
        yield Input("", id="paste", placeholder="Paste the address (or code) here, then Enter",
                    disabled=True)
        if self.session.demo is not None:
            yield Static("Demo shortcut (sandbox only, not for a real Exact): ctrl+e logs in as "
                         f"{self.session.demo.username}/{self.session.demo.password} without a browser "
                         "and pastes the result for you.", id="demo-note")

    def body_mounted(self) -> None:
        self.query_one("#next-step").display = self.session.client is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The demo shortcut exists only in `exact-tui demo`: not offered (nor shown) on a real profile."""
        if action == "demo_approve":
            return self.session.demo is not None
        return True

    def first_focus(self):
        if self.session.client is not None:
            self.scroll_home(animate=False)
            return self.query_one("#next-step")  # connected: Enter goes on to step 2
        inputs = [self.query_one(f"#{name}", Input) for name in ("client-id", "client-secret", "redirect-uri")]
        for widget in inputs:
            if not widget.value:
                return widget
        return self.query_one("#make-link")

    def on_step_shown(self) -> None:
        self._show_report()

    # -- actions ---------------------------------------------------------------------------------
    def _form(self) -> svc.ConnectionForm:
        return svc.ConnectionForm(
            host=self.query_one("#host", Input).value.strip() or "nl",
            client_id=self.query_one("#client-id", Input).value,
            client_secret=self.query_one("#client-secret", Input).value,
            redirect_uri=self.query_one("#redirect-uri", Input).value,
            keep_secret=self.query_one("#keep-secret", Checkbox).value)

    @on(Button.Pressed, "#make-link")
    def action_login_link(self) -> None:
        self.run_service(svc.start_login, self.session, self._form(), done=self._show_link, busy="making the login link")

    def _show_link(self, attempt: svc.LoginAttempt) -> None:
        self.attempt = attempt
        self._login_url(attempt.url).display = True
        self.query_one("#link-help", Static).update(
            "1. Open this link in a browser (any machine) and log in to Exact Online.\n"
            f"2. The browser then goes to {attempt.config.redirect_uri}?code=… (the page may not load: fine).\n"
            "3. Copy that whole address and paste it below, then press Enter. The code is valid 3 minutes.\n"
            "ctrl+l copies the link to your own computer's clipboard (also over SSH); if your terminal blocks "
            "that, ctrl+o shows the link alone on the plain screen to select it.")
        paste = self.query_one("#paste", Input)
        paste.disabled = False
        paste.value = ""
        self.call_after_refresh(paste.focus)  # focusable only once the enabled state has been applied
        self.query_one("#listen", Button).disabled = not attempt.listen_possible

    def _login_url(self, url: str) -> TextArea:
        """The box that shows the login link (selectable, wrapped), made with the first link: a TextArea
        (its module and styles) cost ~20 ms of the console's start-up, for a box no one sees until then."""
        from textual.widgets import TextArea

        for box in self.query("#login-url").results(TextArea):
            box.text = url
            return box
        box = TextArea(url, id="login-url", read_only=True, soft_wrap=True, show_line_numbers=False)
        self.mount(box, before="#paste")
        return box

    def action_copy_link(self) -> None:
        """Copy the login link through the terminal (OSC 52): it reaches the clipboard of the machine the
        consultant sits at, even over SSH, without selecting a wrapped URL by hand."""
        if self.attempt is None:
            self.local_problem("Make a login link first (ctrl+g).")
            return
        self.app.copy_to_clipboard(self.attempt.url)
        self.app.notify("Login link copied to the clipboard. If nothing arrives, your terminal blocks it: "
                        "select the link above instead.", title="Login link", timeout=6)

    def action_plain_link(self) -> None:
        """The login link alone on the terminal's normal screen (Textual's `App.suspend`): one line, no border,
        so it can be selected with the mouse where OSC 52 is blocked (tmux's default, PuTTY). Enter returns."""
        if self.attempt is None:
            self.local_problem("Make a login link first (ctrl+g).")
            return
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                show_plainly(self.attempt.url)
        except SuspendNotSupported:
            self.local_problem("This terminal cannot hand over its screen (e.g. the console in a browser).",
                               "Copy the link with ctrl+l, or select it in the box above.")

    @on(Input.Submitted, "#paste")
    def _pasted(self, event: Input.Submitted) -> None:
        self.finish(event.value)

    def finish(self, pasted: str) -> None:
        """Trade what was pasted (the redirect address or its code) for tokens."""
        if self.attempt is None:
            self.local_problem("Make a login link first (ctrl+g).")
            return
        self.run_service(svc.finish_login, self.session, self.attempt, pasted, done=self._connected,
                         busy="trading the code for tokens", group="login")

    @on(Button.Pressed, "#listen")
    def action_listen(self) -> None:
        if self.attempt is None:
            self.local_problem("Make a login link first (ctrl+g).")
            return
        if not self.attempt.listen_possible:
            self.local_problem("The redirect URI is not a loopback http address: use paste-back.",
                               "Paste the address the browser ends on into the box below.")
            return
        self.run_service(svc.listen_and_finish, self.session, self.attempt, done=self._connected,
                         busy="waiting for the browser on this machine", group="login")

    def action_demo_approve(self) -> None:
        """Sandbox only: log in as the demo user without a browser, then paste the answer as a user would."""
        demo = self.session.demo
        if demo is None or demo.approve is None:
            self.local_problem("The demo shortcut only exists in `exact-tui demo`.",
                               "Open the login link in a browser instead.")
            return
        if self.attempt is None:
            self.action_login_link()

        async def approve_and_paste() -> str:
            from ...services.demo import approve_as_demo_user

            while self.attempt is None:
                await asyncio.sleep(0.02)
            return await approve_as_demo_user(self.session, self.attempt.url)

        def paste(url: str) -> None:
            self.query_one("#paste", Input).value = url
            self.finish(url)

        self.run_service(approve_and_paste, done=paste, busy="demo: approving as the demo user", group="demo")

    @on(Button.Pressed, "#disconnect")
    def action_disconnect(self) -> None:
        if self.session.client is None:
            return
        from ..screens.confirm import ConfirmScreen

        async def disconnect() -> None:
            await self.session.disconnect()

        def answer(yes: bool | None) -> None:
            if yes:
                self.report = None
                self.run_service(disconnect, done=lambda _: self._show_report(), busy="disconnecting")

        self.app.push_screen(ConfirmScreen("Disconnect from Exact Online?", "The tokens are kept: reconnecting "
                                           "later needs no new login. Nothing changes in Exact.", danger=False),
                             answer)

    def _connected(self, report: svc.ConnectionReport) -> None:
        self.report = report
        self.attempt = None
        paste = self.query_one("#paste", Input)
        paste.value = ""
        paste.disabled = True
        self.query("#login-url").set(display=False)
        self.query_one("#link-help", Static).update("")
        self._show_report()
        # the paste box was at the bottom: back to the top, where "Connection established" now is, with
        # the focus on what comes next (Enter opens step 2)
        self.call_after_refresh(self._home_and_next)
        self.app.notify(f"Connection established: {report.who}", title="Exact Online")

    def _home_and_next(self) -> None:
        following = self.query_one("#next-step", Button)
        if following.display:
            following.focus(scroll_visible=False)
        # after the focus has moved (disabling the focused paste box moves it too, and scrolls to it)
        self.call_after_refresh(self.scroll_home, animate=False, immediate=True)

    @on(Button.Pressed, "#next-step")
    async def _next_step(self) -> None:
        await self.app.run_action("app.next_step")

    def _show_report(self) -> None:
        box = self.query_one("#established", Static)
        self.query_one("#disconnect", Button).disabled = self.session.client is None
        self.query_one("#next-step", Button).display = self.session.client is not None
        if self.session.client is None or self.session.me is None:
            box.remove_class("-shown")
            return
        me = self.session.me
        report = self.report or svc.ConnectionReport(
            me.user_name, me.full_name, me.email, self.session.client.config.division, svc.DEDICATED_USER_ADVICE,
            svc.personal_user_warning(me.user_name, me.full_name, me.email), None)
        text = Text()
        text.append("✓ Connection established", style="bold green")
        text.append(f" — {printable(report.who)}\n")  # the user's name and e-mail are Exact's words
        if report.email:
            text.append(f"e-mail {printable(report.email)}   ")
        text.append(f"division {report.division}\n")
        text.append("Advice: ", style="bold")
        text.append(printable(report.advice) + "\n")
        if report.warning:
            text.append("Warning: ", style="bold yellow")
            text.append(printable(report.warning) + "\n", style="yellow")
        if report.refresh_warning:
            text.append("Warning: ", style="bold yellow")
            text.append(printable(report.refresh_warning), style="yellow")
        box.update(text)
        box.border_title = "Exact Online"
        box.add_class("-shown")


def plain_streams():
    """Where the plain link is written and Enter is read (the real terminal; tests swap them)."""
    import sys

    return sys.__stdout__, sys.__stdin__


def show_plainly(url: str) -> None:
    out, inp = plain_streams()
    out.write("\nThe Exact Online login link (select it, open it in a browser, log in, paste back the address):\n\n")
    out.write(url + "\n\n")
    out.write("Press Enter to return to exact-tui.")
    out.flush()
    inp.readline()
