"""The pytest side of grading, and what assignment authors import.

``plugin`` (the pytest hooks and fixtures), ``student`` (a submission's code behind its sandboxed
process), ``check`` (one test's share, feedback and kind of failure), ``where`` (places in the
student's code, the load report), ``record`` (each submission's result from load to saved file),
``numerics`` (comparing arrays as the notebooks do) and ``authoring`` (the one module an assignment
package imports).
"""
