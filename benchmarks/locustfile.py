"""The review season's mix of users, for locust (run by ``python -m benchmarks.load``, never by hand on
another host: the runner starts the server on 127.0.0.1 and passes the plan in ``VUNGCAO_LOAD_PLAN``).

Every simulated user logs in once, correctly, with a demo account (the lockout counts failures only),
then clicks with some seconds of thought between pages (``VUNGCAO_LOAD_THINK``, "5-15" by default):

- commune officers (``bache``, ``muongphang``; 6 of 10 users): the household list of their commune with
  filters, a household's page, the commune's review page, and now and then saves the answers of a household
  already assessed in the open review (the form sent back as it came, which records and classifies them
  again; a yes/no question the form shows unanswered is answered with its first choice);
- province officers (``quangninh``, ``dienbien``; 3 of 10): the review dashboard of the open review, the
  changes between the last two approved reviews, the money dashboard, the household list of a commune;
- the ministry analyst (``analyst``; 1 of 10): the review list, the national money dashboard, the review
  dashboards of both provinces, the unit browser.

Pages are named (``name=``) so that each is one line of the report whatever its parameters.
"""

import json
import os
import random
import re
from html import unescape
from typing import Any

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

PLAN: dict[str, Any] = json.loads(open(os.environ["VUNGCAO_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = PLAN["password"]
# Seconds between two pages of one user, "MIN-MAX" (``--think`` of the runner).
THINK = tuple(float(bound) for bound in os.environ.get("VUNGCAO_LOAD_THINK", "5-15").split("-", 1))
# The server runs with the production settings behind an imagined TLS proxy: this header is what the
# proxy would set (TRUST_X_FORWARDED_PROTO=true), so no request is redirected to https.
HEADERS = {"X-Forwarded-Proto": "https"}
# Seconds after the last user has started before the figures count (``--settle`` of the runner): the
# logins of the ramp (each ~0.5 s of CPU for the password hash) are over by then.
SETTLE = float(os.environ.get("VUNGCAO_LOAD_SETTLE", "0"))
STATUSES = ["poor", "near_poor", "not_poor"]
INPUT = re.compile(r"<input\b([^>]*)>", re.IGNORECASE)
SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.DOTALL | re.IGNORECASE)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
ERRORS = re.compile(r'class="errorlist[^>]*>(.*?)</ul>', re.DOTALL)
OPTION = re.compile(r'<option\b[^>]*value="([^"]*)"', re.IGNORECASE)
SELECTED = re.compile(r'<option\b[^>]*value="([^"]*)"[^>]*\bselected\b', re.IGNORECASE)


def form_fields(html: str) -> list[tuple[str, str]]:
    """The fields a browser would send, as they are, for the page's largest POST form (the page's own
    form, not the header's language or logout forms)."""
    forms = [part.split("</form>", 1)[0] for part in html.split('method="post"')[1:]]
    return max((_fields(form) for form in forms), key=len, default=[])


def _fields(form: str) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for attributes_text, body in SELECT.findall(form):
        name = dict(ATTRIBUTE.findall(attributes_text)).get("name")
        if not name:
            continue
        # No option selected (the form does not show a saved yes/no answer): answer with the first choice.
        chosen = SELECTED.findall(body) or [value for value in OPTION.findall(body) if value][:1]
        fields.extend((name, unescape(value)) for value in chosen)
    for attributes_text in INPUT.findall(form):
        attributes = dict(ATTRIBUTE.findall(attributes_text))
        name, kind = attributes.get("name"), attributes.get("type", "text").lower()
        if not name or kind in {"submit", "button"}:
            continue
        if kind in {"checkbox", "radio"}:
            if re.search(r"\bchecked\b", attributes_text):
                fields.append((name, unescape(attributes.get("value", "on"))))
        else:
            fields.append((name, unescape(attributes.get("value", ""))))
    return fields


@events.init.add_listener
def _measure_once_settled(environment: Environment, **_: Any) -> None:
    def settled(**_: Any) -> None:
        gevent.spawn_later(SETTLE, environment.runner.stats.reset_all)  # type: ignore[union-attr]

    environment.events.spawning_complete.add_listener(settled)


class Officer(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    accounts: tuple[str, ...] = ()

    def on_start(self) -> None:
        self.username = random.choice(self.accounts)
        self.account = PLAN["accounts"][self.username]
        self.client.headers.update(HEADERS)
        page = self.client.get("/accounts/login/", name="login page")
        self._cookies_over_plain_http()
        token = self.client.cookies.get("csrftoken")
        answer = self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"https://{self.host_name()}/accounts/login/"},
            name="login",
            allow_redirects=False,
        )
        if answer.status_code != 302 or page.status_code != 200:
            raise RuntimeError(f"{self.username} could not log in: {answer.status_code}")
        self._cookies_over_plain_http()

    def host_name(self) -> str:
        return str(self.host).split("://", 1)[1].rstrip("/")

    def _cookies_over_plain_http(self) -> None:
        """The production cookies are marked Secure; the client only talks plain HTTP to the loopback
        (the TLS proxy is imagined), so let it send them back."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def csrf_post(self, path: str, fields: list[tuple[str, str]], name: str) -> None:
        self._cookies_over_plain_http()
        data = [item for item in fields if item[0] != "csrfmiddlewaretoken"]
        data.append(("csrfmiddlewaretoken", self.client.cookies.get("csrftoken", "")))
        with self.client.post(
            path,
            data=data,
            headers={"Referer": f"https://{self.host_name()}{path}"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Saved: a redirect to the household. Anything else (the form again with an error) is a failure.
            if response.status_code != 302:
                problems = ERRORS.findall(response.text)[:2]
                response.failure(f"answers not saved: {response.status_code} {problems}")


class CommuneOfficer(Officer):
    weight = 6
    accounts = ("bache", "muongphang")

    @task(4)
    def household_list(self) -> None:
        commune = self.account["commune"]
        query = random.choice(
            [
                f"unit={commune}",
                f"unit={commune}&year={self.account['year']}",
                f"unit={commune}&year={self.account['year']}&status={random.choice(STATUSES)}",
                f"unit={commune}&year={self.account['year']}&change=escaped",
                f"unit={commune}&page={random.randint(2, 20)}",
            ]
        )
        self.client.get(f"/registry/households/?{query}", name="household list (filters)")

    @task(3)
    def household(self) -> None:
        code = random.choice(self.account["households"])
        self.client.get(f"/registry/households/{code}/", name="household page")

    @task(2)
    def commune_review(self) -> None:
        cycle, commune = self.account["cycle"], self.account["commune"]
        self.client.get(f"/registry/reviews/{cycle}/{commune}/", name="commune review")

    @task(1)
    def save_answers(self) -> None:
        code = random.choice(self.account["answered"])
        path = f"/registry/households/{code}/answers/{self.account['cycle']}/"
        page = self.client.get(path, name="answers form")
        if page.status_code == 200:
            self.csrf_post(path, form_fields(page.text), name="save answers")


class ProvinceOfficer(Officer):
    weight = 3
    accounts = ("quangninh", "dienbien")

    @task(3)
    def review_dashboard(self) -> None:
        self.client.get(f"/registry/reviews/{self.account['cycle']}/", name="review dashboard")

    @task(2)
    def changes(self) -> None:
        earlier, later = self.account["earlier"], self.account["later"]
        flow = random.choice(["", "&flow=escaped", "&flow=fell_back"])
        self.client.get(f"/registry/changes/?earlier={earlier}&later={later}{flow}", name="changes")

    @task(2)
    def money_dashboard(self) -> None:
        self.client.get("/programs/", name="money dashboard")

    @task(2)
    def household_list(self) -> None:
        commune = random.choice(self.account["communes"])
        year = self.account["year"]
        self.client.get(f"/registry/households/?unit={commune}&year={year}", name="household list (filters)")


class MinistryAnalyst(Officer):
    weight = 1
    accounts = ("analyst",)

    @task(2)
    def review_list(self) -> None:
        self.client.get("/registry/", name="review list (national)")

    @task(2)
    def money_dashboard(self) -> None:
        self.client.get("/programs/", name="money dashboard (national)")

    @task(2)
    def review_dashboard(self) -> None:
        cycle = random.choice(self.account["cycles"])
        self.client.get(f"/registry/reviews/{cycle}/", name="review dashboard")

    @task(1)
    def unit_browser(self) -> None:
        self.client.get("/units/?level=province", name="unit browser (national)")
