"""Finding and running the ntksharp command-line tool."""

import os
import shlex
import shutil
import subprocess


class NtkSharpError(RuntimeError):
    """The ntksharp tool failed. ``message`` is its error line (e.g. ``--arch: position 17: unknown layer 'Rellu'
    (did you mean 'Relu'?); ...``), ``exit_code`` its exit status (2 bad input, 1 I/O failure, 130 cancelled),
    ``verb`` the verb that was run and ``stderr`` everything it wrote to stderr."""

    def __init__(self, verb, exit_code, message, stderr):
        super().__init__(f"ntksharp {verb} failed (exit code {exit_code}): {message}")
        self.verb = verb
        self.exit_code = exit_code
        self.message = message
        self.stderr = stderr


class NtkSharpNotFoundError(FileNotFoundError):
    """Neither ``NTKSHARP_CLI`` is set nor ``ntksharp`` is on ``PATH``."""


def cli_command():
    """The command line that runs the tool, as a list: ``NTKSHARP_CLI`` split like a shell would, else the
    ``ntksharp`` found on ``PATH``."""
    configured = os.environ.get("NTKSHARP_CLI", "").strip()
    if configured:
        return shlex.split(configured)
    found = shutil.which("ntksharp")
    if found:
        return [found]
    raise NtkSharpNotFoundError(
        "the ntksharp tool was not found: set NTKSHARP_CLI to a command line that runs it "
        "(e.g. 'dotnet /path/to/NtkSharp.Cli.dll' after 'dotnet build src/NtkSharp.Cli -c Release'), "
        "or install it as 'ntksharp' on PATH (see docs/python.md)")


def run(verb, args):
    """Runs ``ntksharp VERB ARGS --no-progress``; returns its stdout, raises NtkSharpError on a non-zero exit."""
    command = cli_command() + [verb] + [str(a) for a in args] + ["--no-progress"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    except FileNotFoundError as e:
        raise NtkSharpNotFoundError(f"cannot run {command[0]!r} (from NTKSHARP_CLI or PATH): {e}") from e
    if done.returncode != 0:
        lines = [l.strip() for l in done.stderr.splitlines() if l.strip()]
        prefix = f"ntksharp {verb}: error: "
        errors = [l for l in lines if l.startswith(prefix)]
        message = errors[-1][len(prefix):] if errors else (lines[-1] if lines else "(no message)")
        raise NtkSharpError(verb, done.returncode, message, done.stderr)
    return done.stdout
