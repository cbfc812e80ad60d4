"""matching layer; see shared design notes."""
