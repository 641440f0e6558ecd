"""HTTP plumbing shared by every domain: middleware, templating, forms, auth, errors."""
