"""Stage 3, validation: every data row against the form's one row model, and the table rules."""
