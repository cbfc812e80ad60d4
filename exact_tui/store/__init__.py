"""store layer; see shared design notes."""
