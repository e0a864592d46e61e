"""Views of the results: gradebook files, the terminal, feedback, the class report."""
