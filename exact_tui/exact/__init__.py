"""exact layer; see shared design notes."""
