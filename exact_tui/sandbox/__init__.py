"""A faithful local Exact Online: OAuth, the REST API, limits, business rules and fault profiles.

`SandboxServer(SandboxConfig(...))` serves it on 127.0.0.1 (uvicorn in a thread). It imports only
`exact_tui.domain` and its own modules: it shares no code with the client in `exact_tui.exact`, so a
misreading of Exact in one cannot hide the same misreading in the other.
"""
from .clock import ScaledClock
from .config import Behaviour, SandboxConfig
from .server import SandboxServer

__all__ = ["Behaviour", "SandboxConfig", "SandboxServer", "ScaledClock"]
