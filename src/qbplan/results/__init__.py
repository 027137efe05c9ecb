"""Results: findings and the report, as data; text is made from them only when rendering."""
