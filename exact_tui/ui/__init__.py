"""ui layer; see shared design notes."""
