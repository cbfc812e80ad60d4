"""Customer card: search as you type, link/unlink by hand, the Exact counterpart side by side, push an update."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ...domain.customer import customer_number_problem
from ...domain.wording import count
from ...services import customers as svc
from ...services.problems import explain
from .. import css
from ..calls import report_problem, run_service
from ..shown import printable, safe
from ..widgets.header import StatusHeader
from ..widgets.problem import ProblemBox
from .ask import AskValue
from .confirm import ConfirmScreen
from .pick import PickScreen


class CustomerCardScreen(Screen[None]):
    CSS_PATH = [css.WIDGETS, css.SCREENS]
    # priority: ctrl+u / ctrl+k are also the search box's "delete to start / end"; the card's keys must
    # work from the search box too (and the footer shows them there)
    BINDINGS = [
        Binding("escape", "back", "Back", id="card.back"),
        Binding("ctrl+f", "focus_search", "Search", id="card.search"),
        Binding("ctrl+l", "link", "Link by hand", id="card.link"),
        Binding("ctrl+u", "unlink", "Unlink", id="card.unlink", priority=True),
        Binding("ctrl+s", "push", "Push to Exact", id="card.push"),
        Binding("ctrl+r", "reload", "Reload Exact", id="card.reload"),
        Binding("ctrl+k", "create_contact", "Contact to Exact", id="card.create_contact", priority=True),
        Binding("ctrl+t", "link_contact", "Link contact by hand", id="card.link_contact"),
        Binding("ctrl+o", "unlink_contact", "Unlink contact", show=False, id="card.unlink_contact"),
        Binding("ctrl+n", "edit_number", "Edit number", show=False, id="card.number", priority=True),
    ]

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session
        self.rows: dict[str, svc.CustomerRow] = {}
        self.account = None

    def compose(self) -> ComposeResult:
        yield StatusHeader(self.session, deterministic=getattr(self.app, "deterministic", False))
        with Horizontal(id="card-body"):
            with Vertical(id="list-side"):
                yield Input(placeholder="search: name, number, city, e-mail, VAT (ctrl+f)", id="search")
                table = DataTable(id="customers", cursor_type="row", zebra_stripes=True)
                table.add_columns("Number", "Name", "City", "Link")
                yield table
                yield Static("", id="found", classes="status")
            with VerticalScroll(id="detail-side"):
                yield Static("", id="title", classes="step-title")
                yield ProblemBox()  # right under the title: a failed push is seen at 80×24 too
                yield Static("", id="account-warnings")
                pairs = DataTable(id="pairs", cursor_type="none", zebra_stripes=True)
                pairs.add_columns("Field", "Local", "Exact")
                yield pairs
                yield Static("", id="card-status")
                contacts = DataTable(id="contacts", cursor_type="row", zebra_stripes=True)
                contacts.add_columns("Local contact", "E-mail", "In Exact")
                yield contacts
        yield Footer()

    def on_resize(self, event) -> None:
        """Below 120 columns the list goes on top and the detail gets the full width, so the Local and
        the Exact column are both on screen (side by side in 40 columns they were cut off)."""
        self.set_class(event.size.width < 120, "-narrow")

    def on_mount(self) -> None:
        self._search("")
        self.query_one("#search").focus()

    # -- list ------------------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#search")
    def _to_list(self) -> None:
        self.query_one("#customers").focus()

    def _search(self, text: str) -> None:
        try:
            rows, total = svc.search(self.session, text)
        except Exception as exc:  # noqa: BLE001
            self._problem(exc)
            return
        table = self.query_one("#customers", DataTable)
        table.clear()
        self.rows = {}
        for row in rows:
            c = row.customer
            mark = Text("linked", style="green") if row.link else Text("—", style="dim")
            table.add_row(safe(c.number), safe(c.name), safe(c.city), mark, key=c.id)  # Text: never read as markup
            self.rows[c.id] = row
        more = f" (first {len(rows)} shown: type more to narrow)" if total > len(rows) else ""
        self.query_one("#found", Static).update(f"{count(total, 'customer')}{more}")
        if rows:
            self._show(rows[0])
        else:
            self._show(None)

    def _current(self) -> svc.CustomerRow | None:
        table = self.query_one("#customers", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return self.rows.get(key)

    @on(DataTable.RowHighlighted, "#customers")
    def _moved(self) -> None:
        self._show(self._current())

    # -- detail ----------------------------------------------------------------------------------
    def _show(self, row: svc.CustomerRow | None, account=None) -> None:
        self.account = account
        title = self.query_one("#title", Static)
        pairs = self.query_one("#pairs", DataTable)
        pairs.clear()
        self.query_one("#contacts", DataTable).clear()
        self.contact_rows: list = []
        if row is None:
            title.update("No customer")
            return
        c = row.customer
        title.update(safe(f"{c.number or '(no number)'} {c.name}"))
        warnings = svc.account_warnings(account) if account is not None else []
        number_problem = customer_number_problem(c.number or "")
        if number_problem:
            warnings.insert(0, f"{number_problem}: Exact refuses it as a code (ctrl+n edits it)")
        box = self.query_one("#account-warnings", Static)
        box.update(Text("\n".join(f"⚠ {printable(w)}" for w in warnings), style="bold yellow") if warnings else "")
        box.display = bool(warnings)
        for pair in svc.side_by_side(c, account):
            style = "" if pair.same or not account else "bold yellow"
            pairs.add_row(pair.label, safe(pair.local, style), safe(pair.exact, style))
        status = self.query_one("#card-status", Static)
        if row.link is None:
            status.update("Not linked. ctrl+l links it by hand to an Exact account.")
        elif account is None:
            status.update(safe(f"Linked to Exact account {row.link.exact_code or row.link.exact_id} "
                               f"({row.link.source}, by {row.link.linked_by or '?'}). Loading Exact's side…"))
            if self.session.client is not None:
                self._run(svc.counterpart, self.session, row.link.exact_id,
                          done=lambda acc, r=row: self._loaded(r, acc), group="detail")
            else:
                status.update(safe(f"Linked to Exact account {row.link.exact_code}. Connect in step 1 to see Exact's side."))
        else:
            differ = sum(1 for p in svc.side_by_side(c, account) if not p.same and p.local)
            status.update(safe(f"Linked to {account.code} {account.name}; {differ} fields differ (yellow). "
                               "ctrl+s pushes the local data to Exact, ctrl+u unlinks."))

    def _loaded(self, row, account) -> None:
        current = self._current()
        if current is not None and current.customer.id == row.customer.id:
            self._show(row, account)
            self._run(svc.contacts_side_by_side, self.session, row.customer,
                      done=lambda pairs, r=row: self._contacts(r, pairs), group="contacts")

    def _contacts(self, row, pairs) -> None:
        current = self._current()
        if current is None or current.customer.id != row.customer.id:
            return
        table = self.query_one("#contacts", DataTable)
        table.clear()
        self.contact_rows = pairs
        for pair in pairs:
            local = safe(pair.local.full_name) if pair.local else Text("— (only in Exact)", style="dim")
            email = safe((pair.local or pair.exact).email or "")
            table.add_row(local, email, _exact_cell(pair))
        linked = sum(1 for p in pairs if p.stored)
        table.border_title = f"Contacts ({len(pairs)}, {linked} linked)"

    # -- actions ---------------------------------------------------------------------------------
    def _run(self, fn, *args, done=None, group="action", **kw):
        """A service call in a worker; a failure lands in the card's problem box and the log."""
        return run_service(self, fn, *args, topic="customer card", done=done, show=self._show_problem,
                           group=group, **kw)

    def _show_problem(self, problem) -> None:
        self.query_one(ProblemBox).show_problem(problem)

    def _problem(self, exc: Exception) -> None:
        report_problem(self, explain(exc), topic="customer card", show=self._show_problem)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_focus_search(self) -> None:
        self.query_one("#search").focus()

    def action_reload(self) -> None:
        row = self._current()
        if row is not None:
            self._show(row)

    def action_link(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.link is not None:
            self.query_one(ProblemBox).show_problem(explain(ValueError(
                f"{row.customer.name} is already linked: unlink it first (ctrl+u)")))
            return

        def choose(accounts) -> None:
            ranked = svc.rank_accounts(self.session, row.customer, accounts)
            by_id = {str(c.account.id): c for c in ranked}
            choices = [(key, f"{c.account.code:>8}  {c.account.name}  {c.account.city}  ({c.score:.0f})"
                        + ("  ! " + "; ".join(c.conflicts) if c.conflicts else ""))
                       for key, c in by_id.items()]

            def link_now(choice) -> None:
                self._run(svc.link, self.session, row.customer, choice.account,
                          done=lambda _: self._search(self.query_one("#search", Input).value))

            def picked(exact_id: str | None) -> None:
                choice = by_id.get(exact_id or "")
                if choice is None:
                    return
                if not choice.conflicts:
                    link_now(choice)
                    return
                self.app.push_screen(ConfirmScreen(
                    "Link anyway?", safe(f"{row.customer.name} and Exact account {choice.account.code} "
                                         f"{choice.account.name}: " + "; ".join(choice.conflicts)
                                         + (". Different numbers usually mean different companies."
                                            if any("differs" in c for c in choice.conflicts) else ".")),
                    yes="Link anyway", no="Cancel"),
                    lambda yes: link_now(choice) if yes else None)

            self.app.push_screen(PickScreen(f"Link {row.customer.name} to which Exact account?", choices,
                                            note="Ranked by the matcher on every field (name, address, postcode, "
                                                 "e-mail, phone, VAT/KvK); type to filter by code, name or city."),
                                 picked)

        self._run(svc.exact_accounts, self.session, done=choose, group="accounts")

    def action_edit_number(self) -> None:
        """Give the customer a number Exact accepts (digits only, at most 9): the fix the Link screen names."""
        row = self._current()
        if row is None:
            return

        def check(value: str) -> str | None:
            return customer_number_problem(value.strip())

        def chosen(value: str | None) -> None:
            if value is not None:
                self._run(svc.set_number, self.session, row.customer, value,
                          done=lambda _: self._search(self.query_one("#search", Input).value))

        self.app.push_screen(AskValue(f"Customer number of {row.customer.name}",
                                      "Digits only, at most 9 (Exact's account code); unique among local customers. "
                                      "Enter saves locally, Esc cancels.", row.customer.number or "", check=check),
                             chosen)

    def action_create_contact(self) -> None:
        row = self._current()
        table = self.query_one("#contacts", DataTable)
        if row is None or not getattr(self, "contact_rows", None) or not table.row_count:
            return
        pair = self.contact_rows[table.cursor_row]
        if pair.local is None or pair.exact is not None:
            self.query_one(ProblemBox).show_problem(explain(ValueError(
                "Pick a local contact marked 'missing' in the contacts table (tab to it, ↑/↓).")))
            return
        self._run(svc.create_contact, self.session, row.customer, pair.local,
                  done=lambda _: self._loaded(row, self.account))

    def _contact_pair(self):
        table = self.query_one("#contacts", DataTable)
        rows = getattr(self, "contact_rows", None)
        if not rows or not table.row_count or table.cursor_row >= len(rows):
            return None
        return rows[table.cursor_row]

    def action_link_contact(self) -> None:
        """Pair the local contact under the cursor with an Exact contact of the linked account, by hand."""
        row, pair = self._current(), self._contact_pair()
        if row is None or pair is None or pair.local is None:
            self.query_one(ProblemBox).show_problem(explain(ValueError(
                "Pick a local contact in the contacts table (tab to it, ↑/↓), then ctrl+t.")))
            return
        current = pair.link.exact_id.lower() if pair.link else ""
        others = [p.exact for p in self.contact_rows
                  if p.exact is not None and str(p.exact.id or "").lower() != current]
        if not others:
            self.query_one(ProblemBox).show_problem(explain(ValueError(
                f"The Exact account has no other contact to link {pair.local.full_name} to; ctrl+k creates it.")))
            return
        by_id = {str(e.id): e for e in others}
        choices = [(str(e.id), f"{' '.join(p for p in (e.first_name, e.last_name) if p)}  {e.email or ''}")
                   for e in others]

        def picked(exact_id: str | None) -> None:
            if exact_id:
                self._run(svc.link_contact, self.session, row.customer, pair.local, by_id[exact_id],
                          done=lambda _: self._loaded(row, self.account))

        self.app.push_screen(PickScreen(f"{pair.local.full_name} is which Exact contact?", choices,
                                        note="The Exact contacts of the linked account; the pair is stored."), picked)

    def action_unlink_contact(self) -> None:
        row, pair = self._current(), self._contact_pair()
        if row is None or pair is None or pair.local is None or not pair.stored:
            self.query_one(ProblemBox).show_problem(explain(ValueError(
                "Pick a linked local contact in the contacts table, then ctrl+o (a pair by e-mail or name is only "
                "a suggestion: nothing to unlink).")))
            return
        self._run(svc.unlink_contact, self.session, row.customer, pair.local,
                  done=lambda _: self._loaded(row, self.account))

    def _links(self):
        return self.session.store.links.all()

    def action_unlink(self) -> None:
        row = self._current()
        if row is None or row.link is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._run(svc.unlink, self.session, row.customer,
                          done=lambda _: self._search(self.query_one("#search", Input).value))

        self.app.push_screen(ConfirmScreen("Unlink?", safe(f"Unlink {row.customer.name} from Exact account "
                                                            f"{row.link.exact_code}? Nothing changes in Exact.")),
                             answer)

    def action_push(self) -> None:
        row = self._current()
        if row is None or row.link is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                def pushed(fields) -> None:
                    self.app.notify("Exact updated: " + ", ".join(fields) if fields else "Nothing to update")
                    self._show(row)

                self._run(svc.push_update, self.session, row.customer, done=pushed)

        self.app.push_screen(ConfirmScreen("Push to Exact?", safe(
                                 f"Send the non-empty local fields of {row.customer.name} "
                                 "to its Exact account (one API call; empty local fields are not sent)?")),
                             answer)


def _exact_cell(pair) -> Text:
    """The 'In Exact' cell: linked (stored), suggested (same e-mail/name), gone, missing, or only in Exact."""
    if pair.local is not None and pair.gone:
        return Text("✗ linked Exact contact no longer on the account: ctrl+o unlinks", style="red")
    if pair.local is not None and pair.exact is not None:
        if pair.stored:
            return Text("✓ same person (linked)", style="bold green")
        return Text(f"✓ same person (same {'e-mail' if pair.how == 'email' else 'name'}; ctrl+t to link)",
                    style="green")
    if pair.local is not None:
        return Text("missing: ctrl+k creates it, ctrl+t links by hand", style="yellow")
    return safe(" ".join(p for p in (pair.exact.first_name, pair.exact.last_name) if p))
