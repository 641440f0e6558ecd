"""Administration pages: bodies, their members, global moderators. Admins only."""
