"""diagnose layer; see shared design notes."""
