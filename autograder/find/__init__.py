"""Finding submissions and loading what graded code reads: files → statements."""
