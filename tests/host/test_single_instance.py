"""One host per home, decided by an OS file lock: two `ecmactl host run`
started at the same moment on one home, real subprocesses, several trials: exactly one serves,
the other exits 1 with one line naming the running host's PID and address."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hostproc import HostProcess, ecmactl, free_port, init_sample

from ecmactl.home import Home
from ecmactl.host import instance

TRIALS = 3


@pytest.mark.parametrize("trial", range(TRIALS))
def test_two_hosts_started_at_once_one_serves(tmp_path: Path, trial: int) -> None:
    home = tmp_path / "home"
    init_sample(home)
    # Different ports, so only the home's lock can stop the second one.
    hosts = [HostProcess(home, free_port()), HostProcess(home, free_port())]
    try:
        end = time.monotonic() + 30
        while time.monotonic() < end and all(h.proc.poll() is None for h in hosts):
            time.sleep(0.05)  # a poll interval, bounded by the deadline
        exited = [h for h in hosts if h.proc.poll() is not None]
        assert len(exited) == 1, [h.log for h in hosts]
        loser = exited[0]
        winner = hosts[1 - hosts.index(loser)]
        assert loser.proc.returncode == 1, loser.log
        errors = [line for line in loser.log.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, loser.log
        assert "already running" in errors[0]
        # The winner's address once it is bound; "starting" when the loser looked before that.
        serving = f"PID {winner.proc.pid} on https://127.0.0.1:{winner.port}"
        assert serving in errors[0] or f"PID {winner.proc.pid}, starting" in errors[0], errors[0]
        assert "Traceback" not in loser.log
        status = winner.wait_ready()
        assert status["process"]["pid"] == winner.proc.pid
        assert winner.proc.poll() is None
    finally:
        for host in hosts:
            host.stop()
    # The lock went with the winner: the next start serves.
    with HostProcess(home, free_port()) as again:
        again.wait_ready()


def test_a_host_killed_hard_leaves_no_lock_behind(tmp_path: Path) -> None:
    import signal

    home = tmp_path / "home"
    init_sample(home)
    with HostProcess(home, free_port()) as first:
        first.wait_ready()
        first.stop(signal.SIGKILL)
    assert instance.lock_path(Home(home)).exists()  # the file stays; its lock does not
    with HostProcess(home, free_port()) as second:
        second.wait_ready()
        done = ecmactl(home, "host", "status")
        assert done.returncode == 0, done.stdout


def test_a_run_folder_that_cannot_be_written_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_sample(home)
    (home / "run").write_text("not a folder\n")  # as good as a read-only home, also as root
    with HostProcess(home, free_port()) as host:
        code = host.proc.wait(timeout=30)
    assert code == 1, host.log
    assert "Traceback" not in host.log
    errors = [line for line in host.log.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: cannot write the run files in {home / 'run'}: it is a file, not a folder"
    ]
    assert "ReadWritePaths=" in host.log
