"""A throwaway PostgreSQL cluster for the tests and the benchmarks: made in a folder, listening
on a socket in that folder (no TCP port unless asked for one), fast and unsafe (fsync off: it
is thrown away).

    python -m tests.pg_cluster start FOLDER   # prints the URL of its `postgres` database
    python -m tests.pg_cluster start FOLDER --port 55432   # also on 127.0.0.1:55432
    python -m tests.pg_cluster stop FOLDER

With a port it also listens on the loopback interface (a benchmark "on loopback" measures TCP,
as a server on another host would be reached); trust authentication there too: any local user
may connect, which a throwaway cluster can allow.

PostgreSQL refuses to run as root; as root, the cluster runs as the `postgres` user the
distribution's package made.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

USER = "agent"  # the cluster's superuser (trust authentication: the socket is in FOLDER only)


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl (the distribution's newest version), or None."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version)
    return Path(versions[-1]).parent if versions else None


def _version(path: str) -> int:
    try:
        return int(Path(path).parent.parent.name)
    except ValueError:
        return 0


def _as_owner(command: list[str], folder: Path) -> list[str]:
    if os.geteuid() != 0:
        return command
    owner = pwd.getpwnam("postgres")
    os.chown(folder, owner.pw_uid, owner.pw_gid)
    return ["runuser", "-u", "postgres", "--", *command]


def start(folder: Path, max_connections: int = 300, port: int | None = None) -> str:
    """Make and start a cluster in `folder` (which must be empty or absent); its URL: on
    127.0.0.1:`port` when a port is given, else on the folder's socket."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install -y postgresql)")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    data = folder / "data"
    subprocess.run(
        _as_owner(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            folder,
        ),
        check=True,
        capture_output=True,
    )
    listen = f"-c listen_addresses=127.0.0.1 -p {port}" if port else "-c listen_addresses=''"
    options = (
        f"-k {folder} {listen} -c fsync=off -c synchronous_commit=off"
        f" -c full_page_writes=off -c max_connections={max_connections}"
        " -c shared_buffers=64MB"
    )
    subprocess.run(
        _as_owner(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(folder / "log"),
                "start",
            ],
            folder,
        ),
        check=True,
        capture_output=True,
    )
    if port:
        return f"postgresql://{USER}@127.0.0.1:{port}/postgres"
    return url(folder)


def url(folder: Path, database: str = "postgres", port: int | None = None) -> str:
    """The URL of a database through the folder's socket (whose name has the port in it)."""
    socket = f"?host={folder}" + (f"&port={port}" if port else "")
    return f"postgresql://{USER}@/{database}{socket}"


def stop(folder: Path) -> None:
    bin_dir = binaries()
    if bin_dir is None or not (folder / "data").is_dir():
        return
    subprocess.run(
        _as_owner(
            [str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "stop"],
            folder,
        ),
        capture_output=True,
    )


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        given = sys.argv[3:5]
        print(start(where, port=int(given[1]) if given[:1] == ["--port"] else None))
    else:
        stop(where)
