"""What runs inside the sandbox: this folder is the child's only code of the grader's.

``runner`` (the script the sandbox starts: the request loops), ``wire`` (the message format, which the
parent uses too), ``kinds`` (failure kinds, both sides), ``api`` (what an assignment's operations.py
imports), ``probe`` (the numerical-gradient probe), ``definitions`` (loading a submission),
``namespaces`` and ``template`` (a worker's template and its forks' isolation).

In the child these modules import only each other and the standard library and numpy: the folder
is bound at /grader (or its sources come in the command line) and ``runner`` registers it under this
package's name, without the grader's packages above it.
"""
