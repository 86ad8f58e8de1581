"""The commands: one module per `structplan` command, each with `run(args)`.

`cli.py` parses the command line and calls the module's `run` with the parsed arguments. A
command reads its files, calls the pure functions of the domain (`checks`, `report`, `diff`,
`scenario`, `solver.api`), prints what they return, and gives the exit code (`ExitCode`). No
module here imports textual, rich or ortools when it is imported: each is loaded by the command
that uses it.
"""
