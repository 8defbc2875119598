"""The ``wushe`` command line (命令行工具).

Every subcommand is one small function registered with :func:`command`; it receives the
parsed arguments and a :class:`Console` that prints tables for people, JSON for machines
(``--json``) and messages in Chinese or English (``--lang zh|en``). :func:`main` runs a
command and turns every failure into one ``wushe: error: …`` line on standard error and an
exit code; it never shows a traceback unless asked to with ``--debug`` or ``WUSHE_DEBUG=1``:

=====  =====================================================================
code   meaning
=====  =====================================================================
0      success (:data:`EXIT_OK`)
1      the data is invalid; the report says why (:data:`EXIT_INVALID_DATA`)
2      usage error, or an optional extra is missing (:data:`EXIT_USAGE`)
3      a file or folder cannot be read or written (:data:`EXIT_FILE`)
70     an internal error: a bug in wushe (:data:`EXIT_INTERNAL`)
130    interrupted with Ctrl-C (:data:`EXIT_INTERRUPTED`)
141    the reader of standard output went away (:data:`EXIT_BROKEN_PIPE`)
=====  =====================================================================
"""

from wushe.cli import _errors
from wushe.cli._app import command, main
from wushe.cli._errors import CommandError
from wushe.cli._output import Console, progress, progress_callback, status

# Each module registers its commands on import, in the order `wushe --help` lists them.
# isort: off
from wushe.cli import _data  # noqa: F401
from wushe.cli import _ledgers  # noqa: F401
from wushe.cli import _match  # noqa: F401
from wushe.cli import _evaluate  # noqa: F401
from wushe.cli import _report  # noqa: F401
from wushe.cli import _care  # noqa: F401
from wushe.cli import _demo  # noqa: F401
from wushe.cli import _scale  # noqa: F401
from wushe.cli import _simulate  # noqa: F401
# isort: on

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_FILE",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID_DATA",
    "EXIT_OK",
    "EXIT_USAGE",
    "CommandError",
    "Console",
    "command",
    "main",
    "progress",
    "progress_callback",
    "status",
]

EXIT_OK = _errors.EXIT_OK
"""Everything worked (成功)."""
EXIT_INVALID_DATA = _errors.EXIT_INVALID_DATA
"""The data was invalid; the report says why (数据无效)."""
EXIT_USAGE = _errors.EXIT_USAGE
"""The command was used wrongly, or an optional extra is missing (用法错误)."""
EXIT_FILE = _errors.EXIT_FILE
"""A file or folder could not be read or written: missing, a folder where a file is
expected, no permission (文件无法读写)."""
EXIT_INTERNAL = _errors.EXIT_INTERNAL
"""wushe itself failed: a bug to report, not a problem with the data (内部错误)."""
EXIT_INTERRUPTED = _errors.EXIT_INTERRUPTED
"""The command was interrupted with Ctrl-C (已中断)."""
EXIT_BROKEN_PIPE = _errors.EXIT_BROKEN_PIPE
"""Standard output was closed early, e.g. by ``| head`` (输出管道已关闭)."""
