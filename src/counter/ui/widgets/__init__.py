"""Parts of the sale screen: each one shows one thing and says when it changes."""
