"""Headless Chromium, without any driver: screenshots, DOM dumps and PDF printing of a report.

Uses the system's ``chromium`` (Debian: ``apt-get install chromium``; ``scripts/setup-browser.sh``
installs it with the Chinese fonts the page needs). Nothing is downloaded. Every call starts a
fresh browser with a throw-away profile and the flags that keep it off the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Names the browser goes by, first found wins (``SIM_CHROMIUM`` overrides).
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

#: Flags of every run: headless, no sandbox (containers), no network chatter, no first-run UI.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio",
         "--hide-scrollbars", "--no-default-browser-check", "--disable-dev-shm-usage")


@dataclass
class BrowserRun:
    """What one browser run left behind."""

    returncode: int
    stdout: str
    stderr: str

    def console_errors(self) -> list[str]:
        """Console messages, page errors and blocked loads that Chromium logged
        (``--enable-logging``). A report has no script, so any console line is a problem."""
        marks = (":console", "uncaught", "content security policy", "net::err")
        return [line for line in self.stderr.splitlines()
                if any(mark in line.lower() for mark in marks)]


def find_chromium() -> str | None:
    """Path of a Chromium-family browser, or ``None``."""
    env = os.environ.get("SIM_CHROMIUM")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def run(url_or_path: str | Path, *extra: str, timeout: float = 120.0,
        browser: str | None = None) -> BrowserRun:
    """Run headless Chromium on a file or URL with ``extra`` flags; raises if none is found."""
    browser = browser or find_chromium()
    if browser is None:
        raise FileNotFoundError("no Chromium found: install it with "
                                "`sh scripts/setup-browser.sh` (Debian: apt-get install chromium)")
    target = str(url_or_path)
    if "://" not in target:
        target = Path(target).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="sim-chromium-") as profile:
        cmd = [browser, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr",
               "--v=0", *extra, target]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=profile, check=False)
    return BrowserRun(proc.returncode, proc.stdout, proc.stderr)


def screenshot(path: str | Path, png: str | Path, width: int = 1280, height: int = 2000,
               browser: str | None = None) -> BrowserRun:
    """A PNG of the page's first ``width`` x ``height`` pixels."""
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    result = run(path, f"--screenshot={png}", f"--window-size={width},{height}",
                 "--virtual-time-budget=5000", browser=browser)
    if not png.is_file():
        raise RuntimeError(f"Chromium wrote no screenshot (exit {result.returncode}): "
                           f"{result.stderr[-500:]}")
    return result


def dump_dom(path: str | Path, browser: str | None = None) -> BrowserRun:
    """The DOM after loading (``stdout``), with the console log in ``stderr``."""
    return run(path, "--dump-dom", "--virtual-time-budget=5000", browser=browser)


def print_pdf(path: str | Path, pdf: str | Path, browser: str | None = None) -> Path:
    """Print the page to a PDF (Chromium's own print, A4 by the page's print CSS)."""
    pdf = Path(pdf).resolve()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    result = run(path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                 "--virtual-time-budget=5000", browser=browser)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no PDF (exit {result.returncode}): "
                           f"{result.stderr[-500:]}")
    return pdf
