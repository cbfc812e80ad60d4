"""What the product does: the integration's use cases. Never imports Textual."""
