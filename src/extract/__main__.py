from .cli import run_command

raise SystemExit(run_command())
