"""sandbox layer; see shared design notes."""
