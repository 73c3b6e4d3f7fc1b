"""Locust users for bench_portal.py: every user reads one page as fast as it answers.

The page is PORTAL_PATH; PORTAL_SESSION, when set, is a citizen's session cookie and
PORTAL_HTMX asks for the htmx fragment. Anything but a 200 counts as a failure, so a
lost session (a redirect to the sign-in page) cannot pass for a fast page.
"""

from __future__ import annotations

import os

from locust import FastHttpUser, constant, task


class PageReader(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.path = os.environ["PORTAL_PATH"]
        self.request_headers = {}
        if os.environ.get("PORTAL_SESSION"):
            self.request_headers["Cookie"] = f"sessionid={os.environ['PORTAL_SESSION']}"
        if os.environ.get("PORTAL_HTMX"):
            self.request_headers["HX-Request"] = "true"

    @task
    def read(self) -> None:
        with self.client.get(self.path, headers=self.request_headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
