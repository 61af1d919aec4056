"""Send an issue through SMTP, one message per reader, and remember who got which issue.

The record is content/issues/sent.jsonl, beside the notes and not in the build cache
(which may be deleted at any time): one line per message the server accepted, written
the moment it accepted it, so a send that stops halfway knows on the next run whom to
skip. The record names no reader: it keeps a hash of each address (`reader_key`), so it
can be committed with the content, even to a public repository, without publishing the
readers' addresses. A login the server refuses, a recipient it refuses or a connection that drops
stops the send; the report says who got the issue and who did not.
"""

from __future__ import annotations

import hashlib
import json
import os
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from .config import email_address
from .errors import Problem, SiteError
from .model import EmailSettings

RECORD = "content/issues/sent.jsonl"
LOOPBACK = ("localhost", "127.0.0.1", "::1")
TIMEOUT_S = 30


@dataclass(frozen=True)
class Sent:
    issue: str
    reader: str  # reader_key of the address: the record never holds the address itself
    at: datetime
    message_id: str


def read_record(root: Path) -> list[Sent]:
    """Every message sent so far; a damaged line is an error naming it (never silently resent)."""
    path = root / RECORD
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError([Problem(RECORD, None, f"cannot be read ({exc}): it records who got which issue; restore it from a backup")]) from None
    sent: list[Sent] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            sent.append(Sent(str(data["issue"]), str(data["reader"]), datetime.fromisoformat(data["at"]), str(data.get("message_id", ""))))
        except (ValueError, KeyError, TypeError):
            problems.append(Problem(RECORD, number, "is not a record of a sent issue: fix the line from a backup, or delete it "
                                                    "(then that address may get the issue again)"))
    if problems:
        raise SiteError(problems)
    return sent


def _append(root: Path, entry: Sent) -> None:
    """One line, written at once and flushed to disk before the next message goes out."""
    path = root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"issue": entry.issue, "reader": entry.reader, "at": entry.at.isoformat(), "message_id": entry.message_id}, ensure_ascii=False) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def reader_key(address: str) -> str:
    """What the record keeps of an address: a hash of it, the same for any case of the address."""
    plain = (email_address(address) or address).strip().lower()
    return "sha256:" + hashlib.sha256(plain.encode("utf-8")).hexdigest()


def already_sent(record: Iterable[Sent], issue: str) -> dict[str, Sent]:
    """reader_key -> when this issue was first sent to that address."""
    found: dict[str, Sent] = {}
    for entry in record:
        if entry.issue == issue:
            found.setdefault(entry.reader, entry)
    return found


@dataclass(frozen=True)
class SendReport:
    sent: tuple[str, ...]
    skipped: tuple[tuple[str, Sent], ...]  # (address, when it got the issue before); --again sends it again
    failure: str | None = None  # why the send stopped
    not_sent: tuple[str, ...] = ()  # did not get it (the refused address first)


def check_recipients(addresses: Iterable[str]) -> list[str]:
    """The addresses, each checked, duplicates dropped; one problem per bad one."""
    problems = [Problem("--to", None, f"{a!r} is not an email address: write it like reader@example.org") for a in addresses if not email_address(a)]
    if problems:
        raise SiteError(problems)
    seen: dict[str, str] = {}
    for address in addresses:
        seen.setdefault(email_address(address).lower(), address)
    return list(seen.values())


def password_for(settings: EmailSettings) -> str | None:
    """The SMTP password, from the environment only; None when no login is configured."""
    if not settings.username:
        return None
    password = os.environ.get(settings.password_env)
    if not password:
        raise SiteError([Problem("config.yaml", None, f"email.username is {settings.username!r} but the environment variable {settings.password_env} "
                                                      "is not set: set it to the SMTP password (it is never read from config.yaml)")])
    if not settings.starttls and settings.smtp_host not in LOOPBACK:
        raise SiteError([Problem("config.yaml", None, f"email.starttls is false: the password would cross the network to {settings.smtp_host} "
                                                      "unencrypted; set 'starttls: true' (the server must offer STARTTLS)")])
    return password


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {' '.join(text.split())}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"{code} {' '.join(text.decode('utf-8', 'replace').split())}"
    return str(exc) or type(exc).__name__


def connect(settings: EmailSettings, password: str | None) -> smtplib.SMTP:
    """A session ready to send: connected, encrypted when configured, logged in. Nothing is sent yet."""
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    fix = "check email.smtp_host and email.smtp_port in config.yaml"
    try:
        session = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S)
    except (OSError, smtplib.SMTPException) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else _reason(exc)
        if isinstance(exc, socket.gaierror):
            reason = f"no such host ({reason})"
        raise SiteError([Problem("email", None, f"cannot reach the SMTP server {where}: {reason}; {fix}; nothing was sent")]) from None
    try:
        if settings.starttls:
            session.starttls(context=ssl.create_default_context())
        if settings.username:
            session.login(settings.username, password or "")
    except smtplib.SMTPNotSupportedError:
        session.close()
        raise SiteError([Problem("email", None, f"{where} does not offer STARTTLS: use a server that does, or set 'starttls: false' "
                                                "for a server on this machine; nothing was sent")]) from None
    except smtplib.SMTPAuthenticationError as exc:
        session.close()
        raise SiteError([Problem("email", None, f"{where} refused the login for {settings.username!r} ({_reason(exc)}): check email.username "
                                                f"in config.yaml and the password in {settings.password_env}; nothing was sent")]) from None
    except (OSError, smtplib.SMTPException) as exc:
        session.close()
        raise SiteError([Problem("email", None, f"{where} failed before sending ({_reason(exc)}); nothing was sent")]) from None
    return session


def send_messages(settings: EmailSettings, password: str | None, issue: str, recipients: list[str], message_for: Callable[[str], EmailMessage],
                  root: Path, now: Callable[[], datetime], on_sent: Callable[[str], None]) -> SendReport:
    """Send to each recipient in turn; stop at the first refusal or dropped connection."""
    sender = email_address(settings.sender)
    session = connect(settings, password)
    sent: list[str] = []
    failure: str | None = None
    for index, address in enumerate(recipients):
        message = message_for(address)
        try:
            session.send_message(message, from_addr=sender, to_addrs=[address])  # one recipient: refused, it raises
        except smtplib.SMTPRecipientsRefused as exc:
            failure = f"the server refused {address} ({_reason(exc)}): check the address, or leave it out"
        except smtplib.SMTPSenderRefused as exc:
            failure = f"the server refused the sender {sender} ({_reason(exc)}): check email.from in config.yaml"
        except smtplib.SMTPServerDisconnected as exc:
            failure = f"the connection to {settings.smtp_host}:{settings.smtp_port} dropped while sending to {address} ({_reason(exc)})"
        except (smtplib.SMTPException, OSError) as exc:
            failure = f"the server did not take the message for {address} ({_reason(exc)})"
        if failure:
            session.close()
            return SendReport(sent=tuple(sent), skipped=(), failure=failure, not_sent=tuple(recipients[index:]))
        _append(root, Sent(issue, reader_key(address), now(), message["Message-ID"]))
        sent.append(address)
        on_sent(address)
    try:
        session.quit()
    except (smtplib.SMTPException, OSError):
        session.close()  # every message was accepted: a goodbye that fails changes nothing
    return SendReport(sent=tuple(sent), skipped=())
