"""The pytest side of grading: the plugin, and what assignment authors import."""
