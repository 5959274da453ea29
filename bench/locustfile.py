"""Simulated users for ``bench/run.py``: users of every role, each its persona's mix of pages and API calls.

The plan (``BENCH_PLAN``, written by ``bench/personas.py``) gives each persona its account, its API
token, how many users play it and its tasks: a page name, a weight and the concrete paths it may
read (one drawn per request). Every persona also fetches the framework floor. Think time: 1 to 3 s.

Logins are slow on purpose (Argon2) and all happen at the start, so they would swamp the
first seconds: until every user has logged in, requests are recorded as "warm-up" and kept
apart; the measured window then lasts ``BENCH_MEASURE_SECONDS``. Every request is appended to
``BENCH_SAMPLES`` (phase, name, milliseconds, success), from which run.py computes exact
percentiles.
"""

import json
import os
import random
from pathlib import Path

import gevent
from locust import HttpUser, between, events
from locust.env import Environment
from locust.exception import StopUser

LOGIN_PATH = "/compte/connexion/"
PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text()) if os.environ.get("BENCH_PLAN") else {"personas": {}}
MEASURE_SECONDS = float(os.environ.get("BENCH_MEASURE_SECONDS") or 0)
SAMPLES = Path(os.environ.get("BENCH_SAMPLES") or os.devnull)


class Window:
    """Whether the measured window has begun: once every user has tried to log in."""

    settled_users = 0
    open = False
    samples = None

    @classmethod
    def user_settled(cls, environment: Environment) -> None:
        cls.settled_users += 1
        # Each persona's users are fixed by the plan: personas without an account spawn none.
        expected = min(environment.runner.target_user_count, sum(p["users"] for p in PLAN["personas"].values()))
        if cls.open or cls.settled_users < expected:
            return
        cls.open = True
        if MEASURE_SECONDS:
            gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)


@events.test_start.add_listener
def open_samples(environment, **kwargs) -> None:
    Window.samples = SAMPLES.open("a", buffering=1)


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception=None, context=None, **kwargs) -> None:
    """One line per request: its phase, page name, time and success."""
    if Window.samples is None:
        return
    phase = "login" if name.startswith("connexion") else "measured" if (context or {}).get("measured") else "warm-up"
    Window.samples.write(json.dumps([phase, name, round(response_time, 2), exception is None]) + "\n")


def fetch(task_spec: dict):
    paths, name, api = task_spec["paths"], task_spec["name"], task_spec["api"]

    def task(user: "PersonaUser") -> None:
        headers = {"Authorization": f"Bearer {user.token}"} if api else {}
        # No redirect following: a redirect to the login page must count as a failure.
        with user.client.get(
            random.choice(paths),
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            context={"measured": Window.open},
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    task.__name__ = f"fetch_{name}"
    return task


class PersonaUser(HttpUser):
    """One persona: one login through the form, then its mix with 1 to 3 s of thought between pages."""

    abstract = True
    wait_time = between(1, 3)
    persona: dict = {}

    def on_start(self) -> None:
        self.token = self.persona["token"]
        try:
            self.log_in()
        finally:
            Window.user_settled(self.environment)

    def log_in(self) -> None:
        self.client.get(LOGIN_PATH, name="connexion (formulaire)")
        form = {
            "username": self.persona["email"],
            "password": self.persona["password"],
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


def user_class(key: str, persona: dict) -> type[PersonaUser]:
    tasks = {fetch(spec): spec["weight"] for spec in persona["tasks"]}
    name = "".join(part.capitalize() for part in key.split("-"))
    return type(name, (PersonaUser,), {"persona": persona, "tasks": tasks, "fixed_count": persona["users"]})


# One user class per persona of the plan: locust finds them among this module's globals.
globals().update({cls.__name__: cls for cls in (user_class(k, p) for k, p in PLAN["personas"].items())})
