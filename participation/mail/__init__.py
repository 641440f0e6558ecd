"""E-mail: one template folder per mail, rendered in the recipient's language by a job."""
