"""Exceptions raised by the mc package."""


class MCError(Exception):
    """Base class of every error the mc package raises on its own."""


class CompilerNotFoundError(MCError, FileNotFoundError):
    """No `mc-compile` executable was found (see `mc.find_compiler`)."""


class CompileError(MCError):
    """`mc-compile` rejected the model or the options.

    Attributes:
        returncode: the tool's exit status (1 usage or unreadable input,
            2 import error, 3 the model does not compile, 4 code generation
            or linking, 5 an output cannot be written).
        diagnostics: the tool's stderr, i.e. its diagnostic text.
        command: the command line that was run (a list of strings).
    """

    def __init__(self, message, *, returncode=None, diagnostics="",
                 command=None):
        super().__init__(message)
        self.returncode = returncode
        self.diagnostics = diagnostics
        self.command = list(command or [])


class ModelError(MCError, RuntimeError):
    """A compiled model failed to load or `mc_model_run` returned an error."""
