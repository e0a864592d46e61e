"""The course's materials: its nbgrader folder, sample classes, the demo."""
