"""Many users: several `chatbot serve` replicas over one index folder answer alike, even while another
process rebuilds that folder (the build is swapped in whole by its `current` link; a replica keeps the
index it loaded in memory), and each replica's memory stays within what the README's deployment
section says to budget for."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from conftest import CHATBOT, REPO, SEED_CORPUS
from gradio_client import Client

from chatbot.search_index import CURRENT_LINK

pytestmark = pytest.mark.model
CONVERSATION = ["What is a CDMO?", "how is it priced?", "CDMO model", "2", "What is the capital of Australia?",
                "What is the difference between a CDMO and a CMO?"]
REPLICA_RSS_LIMIT = 1024 ** 3  # the README budgets 1 GB a replica (about 600 MB measured)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Replica:
    """`chatbot serve` in its own process, its stderr kept in a file."""

    def __init__(self, index: Path, log: Path) -> None:
        self.port, self.log = _free_port(), log
        self.process = subprocess.Popen(
            [*CHATBOT, "serve", "--port", str(self.port), "--corpus", str(SEED_CORPUS), "--index", str(index)],
            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(log, "wb"),  # noqa: SIM115
            env={**os.environ, "PYTHONPATH": str(REPO)})

    def wait_ready(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while "serving on" not in self.log.read_text(errors="replace"):
            assert self.process.poll() is None, f"replica exited: {self.log.read_text(errors='replace')}"
            assert time.monotonic() < deadline, f"replica not ready: {self.log.read_text(errors='replace')}"
            time.sleep(0.5)

    def converse(self) -> list[str]:
        client = Client(f"http://127.0.0.1:{self.port}", verbose=False)  # a new user: a new conversation
        return [client.predict(message, api_name="/chat") for message in CONVERSATION]

    def rss(self) -> int:
        return psutil.Process(self.process.pid).memory_info().rss

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def test_two_replicas_answer_alike_while_a_third_process_rebuilds_the_index(seed_index_dir, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(seed_index_dir, index, symlinks=True)
    first_build = os.readlink(index / CURRENT_LINK)
    one = Replica(index, tmp_path / "one.log")
    two = None
    try:
        one.wait_ready()
        before = one.converse()
        rebuild = subprocess.Popen([*CHATBOT, "index", "--force", "--corpus", str(SEED_CORPUS), "--index", str(index)],
                                   cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env={**os.environ, "PYTHONPATH": str(REPO)})
        two = Replica(index, tmp_path / "two.log")  # starts while the index is being rebuilt
        during = []
        while rebuild.poll() is None:  # the first replica keeps answering while the folder changes
            during.append(one.converse())
        _, err = rebuild.communicate(timeout=240)
        assert rebuild.returncode == 0, err.decode(errors="replace")
        assert os.readlink(index / CURRENT_LINK) != first_build, "the rebuild swapped in a new build"
        assert not (index / first_build).exists(), "the old build was removed under the running replica"
        two.wait_ready()
        after_one, after_two = one.converse(), two.converse()

        assert before == after_one == after_two
        assert during and all(replies == before for replies in during)
        assert any("[1]" in reply for reply in before), "the conversation has cited answers"
        for replica in (one, two):
            rss = replica.rss()
            print(f"replica RSS: {rss / 1024 ** 2:.0f} MB")
            assert rss < REPLICA_RSS_LIMIT, f"a replica takes {rss / 1024 ** 2:.0f} MB"
    finally:
        for replica in (one, two):
            if replica is not None:
                replica.stop()
