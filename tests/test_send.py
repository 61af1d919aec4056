"""`digest send`: through a real SMTP server (aiosmtpd) on 127.0.0.1, read back with Python's email parser.

Each test starts its own server; what arrived is parsed as a mail client would,
and the record in content/issues/sent.jsonl is read back to see who got what.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import json
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import html5lib
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import make_site
from issuekit import BASE_URL, W49_TITLES, run, site_files

READERS = ["ana@example.net", "bo@example.net", "cy@example.net"]
# The tests that log in without TLS do so on loopback on purpose (the client refuses it anywhere else).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@dataclass
class Mailbox:
    """An SMTP server's handler: keeps what it accepted, refuses or drops what it is told to."""

    refuse: set[str] = field(default_factory=set)
    drop: set[str] = field(default_factory=set)
    received: list[tuple[list[str], email.message.EmailMessage]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if set(envelope.rcpt_tos) & self.drop:
            server.transport.close()  # the connection drops before the server says it took the message
            return "421 closing"
        self.received.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(mailbox: Mailbox, *, password: str | None = None, tls: ssl.SSLContext | None = None) -> Iterator[int]:
    """A server on 127.0.0.1 (yields its port); with `password`, login is required and only 'digest' with it succeeds."""
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"digest" and auth_data.password == (password or "").encode()
        return AuthResult(success=ok, handled=False)

    port = free_port()
    options = {"authenticator": authenticate, "auth_required": True, "auth_require_tls": tls is not None} if password else {}
    if tls:
        options.update(tls_context=tls, require_starttls=True)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def send_site(root: Path, port: int, extra_email: str = "") -> Path:
    files = site_files(port=port)
    files["config.yaml"] = files["config.yaml"].replace("  starttls: false\n", "  starttls: false\n" + extra_email)
    site = make_site(root / "site", files)
    assert run(site, "build", "--out", str(root / "out")).code == 0
    return site


def record(site: Path) -> list[tuple[str, str]]:
    """(issue, address) per recorded message. The file keeps only SHA-256 hashes of addresses,
    never an address: each hash is matched here against the addresses the tests send to."""
    path = site / "content/issues/sent.jsonl"
    if not path.exists():
        return []
    text = path.read_text()
    assert not any(a in text.lower() for a in READERS), "the sent record must not hold readers' addresses"
    known = {"sha256:" + hashlib.sha256(a.lower().encode()).hexdigest(): a for a in READERS}
    return [(entry["issue"], known.get(entry["reader"], entry["reader"])) for entry in map(json.loads, text.splitlines())]


def test_each_reader_gets_both_parts_with_links_that_work(tmp_path):
    box = Mailbox()
    with smtp_server(box) as port:
        site = send_site(tmp_path, port)
        result = run(site, "send", "2026-W49", "--to", *READERS[:2])
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["sent 2026-W49 to ana@example.net", "sent 2026-W49 to bo@example.net", "sent 2026-W49 to 2 of 2 addresses"]
    assert [to for to, _msg in box.received] == [["ana@example.net"], ["bo@example.net"]]
    ids = set()
    for (to,), msg in box.received:
        assert msg["To"] == to and msg["From"] == "Labor Digest <digest@example.org>"
        assert msg["Subject"] == "Labor Digest: Strikes spread"
        assert msg["List-Unsubscribe"] == "<mailto:leave@example.org>, <https://example.org/leave>"
        ids.add(msg["Message-ID"])
        assert msg.get_content_type() == "multipart/alternative"
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        for title in W49_TITLES:
            assert title in " ".join(text.split()), title
        links = [a.get("href") for a in html5lib.parse(html, namespaceHTMLElements=False).iter("a")]
        assert links and all(link.startswith(("https://", "mailto:")) for link in links)
        for link in links:
            if link.startswith(BASE_URL):
                inside = link[len(BASE_URL):]
                assert (tmp_path / "out" / (inside + "index.html" if inside == "" or inside.endswith("/") else inside)).is_file(), link
    assert len(ids) == 2  # every message its own Message-ID
    assert record(site) == [("2026-W49", "ana@example.net"), ("2026-W49", "bo@example.net")]


def test_nobody_gets_an_issue_twice_unless_again(tmp_path):
    box = Mailbox()
    with smtp_server(box) as port:
        site = send_site(tmp_path, port)
        assert run(site, "send", "--to", READERS[0]).code == 0  # the latest closed issue: 2026-W49
        twice = run(site, "send", "--to", "ANA@example.net", READERS[1])
        assert twice.code == 0
        assert twice.out.splitlines()[0] == "sent 2026-W49 to bo@example.net"
        assert twice.out.splitlines()[1].startswith("skipped ANA@example.net: got 2026-W49 on ")  # as given: the record keeps no address
        again = run(site, "send", "2026-W49", "--to", READERS[0], "--again")
        assert again.code == 0 and "sent 2026-W49 to ana@example.net" in again.out
    assert [to for to, _msg in box.received] == [["ana@example.net"], ["bo@example.net"], ["ana@example.net"]]
    assert record(site) == [("2026-W49", READERS[0]), ("2026-W49", READERS[1]), ("2026-W49", READERS[0])]


def test_the_record_survives_deleting_the_build_cache(tmp_path):
    import shutil

    box = Mailbox()
    with smtp_server(box) as port:
        site = send_site(tmp_path, port)
        assert run(site, "send", "--to", READERS[0]).code == 0
        shutil.rmtree(site / ".digest-cache")
        assert "skipped" in run(site, "send", "--to", READERS[0]).out
    assert len(box.received) == 1


def test_a_refused_login_sends_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("LABOR_DIGEST_SMTP_PASSWORD", "wrong")
    box = Mailbox()
    with smtp_server(box, password="right") as port:
        site = send_site(tmp_path, port, "  username: digest\n")
        result = run(site, "send", "--to", *READERS)
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.splitlines() == [
        (f"error: email: 127.0.0.1:{port} refused the login for 'digest' (535 5.7.8 Authentication credentials invalid): check email.username "
        "in config.yaml and the password in LABOR_DIGEST_SMTP_PASSWORD; nothing was sent"),
        "1 problem; nothing was written.",
    ]
    assert box.received == [] and record(site) == []


def test_a_login_with_the_password_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LABOR_DIGEST_SMTP_PASSWORD", "right")
    box = Mailbox()
    with smtp_server(box, password="right") as port:
        site = send_site(tmp_path, port, "  username: digest\n")
        assert run(site, "send", "--to", READERS[0]).code == 0
    assert len(box.received) == 1


def test_without_the_password_variable_nothing_is_sent(tmp_path, monkeypatch):
    monkeypatch.delenv("LABOR_DIGEST_SMTP_PASSWORD", raising=False)
    box = Mailbox()
    with smtp_server(box, password="right") as port:
        site = send_site(tmp_path, port, "  username: digest\n")
        result = run(site, "send", "--to", READERS[0])
    assert result.code == 1
    assert result.err.splitlines()[0] == ("error: config.yaml: email.username is 'digest' but the environment variable LABOR_DIGEST_SMTP_PASSWORD "
                                          "is not set: set it to the SMTP password (it is never read from config.yaml)")
    assert box.received == []


@pytest.mark.parametrize("trouble", ["refuse", "drop"])
def test_a_refused_recipient_or_a_dropped_connection_stops_and_says_who_got_it(tmp_path, trouble):
    box = Mailbox(**{trouble: {READERS[1]}})
    with smtp_server(box) as port:
        site = send_site(tmp_path, port)
        result = run(site, "send", "--to", *READERS)
        assert result.code == 1 and "Traceback" not in result.err
        assert result.out.splitlines() == ["sent 2026-W49 to ana@example.net"]
        first, got, missed = result.err.splitlines()
        if trouble == "refuse":
            assert first == "error: digest send: the server refused bo@example.net (550 5.1.1 No such mailbox here): check the address, or leave it out"
        else:
            assert first.startswith(f"error: digest send: the connection to 127.0.0.1:{port} dropped while sending to bo@example.net")
        assert got == "got 2026-W49: ana@example.net"
        assert missed == ("did not get 2026-W49: bo@example.net, cy@example.net; run the same command again to send to them "
                          "(those who got it are skipped)")
        assert [to for to, _msg in box.received] == [["ana@example.net"]]
        assert record(site) == [("2026-W49", "ana@example.net")]
        box.refuse.clear()
        box.drop.clear()
        rerun = run(site, "send", "--to", *READERS)  # the same command, once the trouble is gone
        assert rerun.code == 0
        assert [line.split(":")[0] for line in rerun.out.splitlines()] == [
            "sent 2026-W49 to bo@example.net", "sent 2026-W49 to cy@example.net", "skipped ana@example.net", "sent 2026-W49 to 2 of 3 addresses"]
    assert [to for to, _msg in box.received] == [[a] for a in READERS]


def test_a_server_that_is_not_there(tmp_path):
    port = free_port()
    site = send_site(tmp_path, port)
    result = run(site, "send", "--to", READERS[0])
    assert result.code == 1
    assert result.err.splitlines() == [
        f"error: email: cannot reach the SMTP server 127.0.0.1:{port}: Connection refused; check email.smtp_host and email.smtp_port in config.yaml; nothing was sent",
        "1 problem; nothing was written.",
    ]
    assert record(site) == []


@pytest.mark.parametrize("args, message", [
    (["2026-W50", "--to", READERS[0]],
     ("error: digest send: 2026-W50 is in progress until the end of Sunday 13 December 2026: send it once the week is over, "
     "or close it now with 'digest issue 2026-W50 --close'")),
    (["2026-W60", "--to", READERS[0]], "error: digest send: '2026-W60' is not a week: 2026 has weeks 2026-W01 to 2026-W53"),
    (["--to", "ana@", READERS[0]], "error: --to: 'ana@' is not an email address: write it like reader@example.org"),
])
def test_bad_requests_send_nothing(tmp_path, args, message):
    box = Mailbox()
    with smtp_server(box) as port:
        site = send_site(tmp_path, port)
        result = run(site, "send", *args)
    assert (result.code, result.err.splitlines()) == (1, [message, "1 problem; nothing was written."])
    assert box.received == [] and record(site) == []


def test_an_issue_closed_early_can_be_sent(tmp_path):
    box = Mailbox()
    with smtp_server(box) as port:
        site = send_site(tmp_path, port)
        closed = run(site, "issue", "--close")
        assert closed.code == 0 and closed.out.startswith("closed 2026-W50")
        assert "closed: 2026-12-09T12:00:00-05:00" in (site / "content/issues/2026-W50.md").read_text()
        assert run(site, "send", "2026-W50", "--to", READERS[0]).code == 0
    assert box.received[0][1]["Subject"] == "Labor Digest: Week of 7 December 2026"


def test_starttls_with_a_certificate_the_system_trusts(tmp_path, monkeypatch):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))  # what the system trusts, for this test
    monkeypatch.setenv("LABOR_DIGEST_SMTP_PASSWORD", "right")
    box = Mailbox()
    with smtp_server(box, password="right", tls=server_context) as port:
        site = send_site(tmp_path, port, "  username: digest\n")
        config = site / "config.yaml"
        config.write_text(config.read_text().replace("starttls: false", "starttls: true"))
        result = run(site, "send", "--to", READERS[0])
    assert result.code == 0, result.err
    assert len(box.received) == 1


def test_a_password_never_crosses_the_network_unencrypted(tmp_path, monkeypatch):
    monkeypatch.setenv("LABOR_DIGEST_SMTP_PASSWORD", "right")
    site = send_site(tmp_path, 2525, "  username: digest\n")
    config = site / "config.yaml"
    config.write_text(config.read_text().replace("smtp_host: 127.0.0.1", "smtp_host: smtp.example.org"))
    result = run(site, "send", "--to", READERS[0])
    assert result.code == 1
    assert result.err.splitlines()[0] == ("error: config.yaml: email.starttls is false: the password would cross the network to smtp.example.org "
                                          "unencrypted; set 'starttls: true' (the server must offer STARTTLS)")
