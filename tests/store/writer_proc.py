"""A writer the crash test kills with SIGKILL at random moments.

Commit i sets every customer's name to "v<i>" (one atomic write of the whole table), then
appends transfer attempt i to the journal and one log event, then prints i.
"""
import sys
from pathlib import Path

from exact_tui.domain.customer import LocalCustomer
from exact_tui.domain.transfer import TransferRecord
from exact_tui.store import ProfileStore

profile, start, customers = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
store = ProfileStore.open(profile)
print("ready", flush=True)
i = start
while True:
    i += 1
    store.customers.put_many([LocalCustomer(f"C{n}", f"v{i}", number=str(n), city="x" * 40) for n in range(customers)])
    store.transfers.record(TransferRecord(invoice_id=f"I{i}", invoice_number=str(i)))
    store.log.append({"message": f"commit {i}", "level": "info", "side": "console"})
    print(i, flush=True)
