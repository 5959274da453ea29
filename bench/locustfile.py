"""Simulated users for ``bench/run.py``: log in once, then read the floor and every measured page.

Logins are slow on purpose (Argon2) and all happen at the start, so they would swamp the
first seconds: until every user has logged in, page requests are named "<page> (warm-up)"
and reported apart. The measured window then lasts ``BENCH_MEASURE_SECONDS``.
"""

import os

import gevent
from locust import HttpUser, between
from locust.env import Environment
from locust.exception import StopUser
from pages import FLOOR, WARM_UP_SUFFIX, Page, measured_pages

from partenariats.demo.constants import ACADEMY_STAFF_EMAIL, DEMO_PASSWORD

LOGIN_PATH = "/compte/connexion/"
EMAIL = os.environ.get("BENCH_EMAIL", ACADEMY_STAFF_EMAIL)
PASSWORD = os.environ.get("BENCH_PASSWORD", DEMO_PASSWORD)
MEASURE_SECONDS = float(os.environ.get("BENCH_MEASURE_SECONDS") or 0)


class Window:
    """Whether the measured window has begun: once every user has tried to log in."""

    settled_users = 0
    open = False

    @classmethod
    def user_settled(cls, environment: Environment) -> None:
        cls.settled_users += 1
        if cls.open or cls.settled_users < environment.runner.target_user_count:
            return
        cls.open = True
        if MEASURE_SECONDS:
            gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)


def fetch(page: Page):
    def task(user: HttpUser) -> None:
        name = page.name if Window.open else page.name + WARM_UP_SUFFIX
        # No redirect following: a redirect to the login page must count as a failure.
        with user.client.get(page.path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    task.__name__ = f"fetch_{page.name}"
    return task


class AcademyStaff(HttpUser):
    """A chargée de mission of the académie: one login, then pages with 1 to 3 s of thought between them."""

    wait_time = between(1, 3)
    tasks = [fetch(page) for page in (FLOOR, *measured_pages())]

    def on_start(self) -> None:
        try:
            self.log_in()
        finally:
            Window.user_settled(self.environment)

    def log_in(self) -> None:
        self.client.get(LOGIN_PATH, name="connexion (formulaire)")
        form = {
            "username": EMAIL,
            "password": PASSWORD,
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        with self.client.post(
            LOGIN_PATH,
            data=form,
            headers={"Referer": self.host + LOGIN_PATH},
            name="connexion",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # A success redirects away from the login page; a failure re-renders it (200) and
            # counts towards the django-axes lockout, so stop this user at once.
            if response.status_code != 302 or LOGIN_PATH in response.headers.get("Location", ""):
                response.failure(f"login refused (HTTP {response.status_code})")
                raise StopUser()
