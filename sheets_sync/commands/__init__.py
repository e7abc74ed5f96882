"""The command line's commands: each reads the settings, runs the library and prints what it
did. `cli.py` parses the arguments and maps errors to exit codes."""
