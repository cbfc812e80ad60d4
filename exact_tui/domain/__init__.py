"""The integration's vocabulary: plain dataclasses and rules, importing nothing of ours.

Every layer (store, exact client, matching, services, ui, sandbox) speaks in these types, so a
local customer or an invoice line means the same thing everywhere.
"""
