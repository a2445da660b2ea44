"""Fill a running atelier with simulated phones, over real HTTP and Socket.IO connections.

    .venv/bin/python scripts/simulate.py BASE_URL JOIN_CODE [--phones 8] [--act]

Each phone joins with a pseudonym, connects its socket with its cookie and, with --act, does what
the current phase allows (mark paradoxes, vote on values, write a rêve and a piste per theme,
place its dots). Only for loopback servers: used for demos, screenshots, fairness.py and the kill -9 test.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import random
import re
import sys
import urllib.parse
import urllib.request
import uuid

import socketio

SAMPLE_PISTES = [
    "Des navettes électriques entre les gares et les zones d'activités",
    "Un réseau de jardins partagés dans chaque quartier",
    "Une carte unique pour tous les transports de la métropole",
    "Rouvrir les anciennes lignes de train entre les villes moyennes",
    "Un festival métropolitain des cultures méditerranéennes",
    "Des pistes cyclables continues le long du littoral",
]
SAMPLE_REVES = [
    "En 2040, on traverse la métropole sans voiture en moins d'une heure.",
    "En 2040, chaque enfant apprend à nager dans la mer à côté de chez lui.",
    "En 2040, les produits de nos terres remplissent nos cantines.",
]


class Phone:
    """One simulated participant."""

    def __init__(self, base: str, code: str, pseudonym: str):
        self.base, self.code, self.pseudonym = base, code, pseudonym
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.client = socketio.Client(reconnection=False)
        self.state = None

    def join(self) -> None:
        page = self.opener.open(f"{self.base}/j/{self.code}", timeout=10).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # the form's CSRF token
        data = urllib.parse.urlencode({"pseudonym": self.pseudonym, "csrf_token": token}).encode()
        self.opener.open(f"{self.base}/j/{self.code}", data=data, timeout=10).read()
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        self.client.connect(self.base, headers={"Cookie": cookie}, auth={"role": "participant", "code": self.code},
                            transports=["websocket"], wait_timeout=10)
        self.state = self.call("sync", None)["state"]

    def call(self, event: str, data):
        return self.client.call(event, data, timeout=10)

    def act(self, event: str, **data):
        answer = self.call(event, {"op_id": str(uuid.uuid4()), **data})
        if not answer.get("ok"):
            print(f"{self.pseudonym}: {event} refusé — {answer.get('error')}", file=sys.stderr)
        return answer

    def play_phase(self, template: dict, rng: random.Random) -> None:
        """Do what the current phase allows, like a diligent participant."""
        self.state = self.call("sync", None)["state"]
        allowed = set(self.state["stage"]["allowed"])
        settings = self.state["stage"]["settings"]
        if "paradox_toggle" in allowed:
            for paradox in rng.sample(template["paradoxes"], min(settings["paradox_choices"], len(template["paradoxes"]))):
                self.act("paradox_toggle", paradox_id=paradox["id"], chosen=True)
        if "values_set" in allowed:
            values = [v["id"] for v in template["values"]]
            if settings["value_method"] == "points":
                points = {}
                for _ in range(settings["value_budget"]):
                    choice = rng.choice(values[:3] + values)
                    points[choice] = points.get(choice, 0) + 1
            else:
                points = {v: 1 for v in rng.sample(values, min(settings["value_top_n"], len(values)))}
            self.act("values_set", points=points)
            value = rng.choice(template["values"])
            if value["ideas"] and settings["value_max_words"]:
                self.act("value_word_add", value_id=value["id"], word=rng.choice(value["ideas"]))
        if "reve_add" in allowed:
            self.act("reve_add", theme_id=rng.choice(template["themes"])["id"], text=rng.choice(SAMPLE_REVES))
        if "piste_add" in allowed:
            for theme in template["themes"]:
                tags = rng.sample(template["hashtags"], min(2, len(template["hashtags"])))
                self.act("piste_add", theme_id=theme["id"], text=rng.choice(SAMPLE_PISTES), horizon=rng.choice(template["horizons"])["id"], hashtags=tags)
        if "support_add" in allowed and self.state["board"]:
            for piste in rng.sample(self.state["board"], min(settings["dots"], len(self.state["board"]))):
                self.act("support_add", piste_id=piste["id"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url")
    parser.add_argument("code")
    parser.add_argument("--phones", type=int, default=8)
    parser.add_argument("--act", action="store_true", help="do what the current phase allows")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--facilitate-token", help="facilitator token, to move the atelier to --phase first")
    parser.add_argument("--phase", type=int, help="phase index to move to before acting (needs --facilitate-token)")
    args = parser.parse_args(argv)
    host = urllib.parse.urlsplit(args.base_url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("simulated phones only target a server on this machine (127.0.0.1)")
    rng = random.Random(args.seed)
    names = ["Camille", "Yanis", "Inès", "Marius", "Zoé", "Karim", "Léna", "Hugo", "Sofia", "Noé", "Maëlle", "Adam"]
    if args.phase is not None and args.facilitate_token:
        facilitator = socketio.Client(reconnection=False)
        facilitator.connect(args.base_url, auth={"role": "facilitate", "token": args.facilitate_token}, transports=["websocket"])
        print(facilitator.call("phase_goto", {"op_id": str(uuid.uuid4()), "to": args.phase}, timeout=10))
        facilitator.disconnect()
    prefix = str(args.seed) if args.seed != 1 else ""
    phones = [Phone(args.base_url, args.code, f"{names[i % len(names)]}{prefix}{'' if i < len(names) else i}") for i in range(args.phones)]
    for phone in phones:
        phone.join()
    if args.act:
        import json

        template = json.loads(phones[0].opener.open(f"{args.base_url}/participant/{args.code}", timeout=10).read()
                              .decode().split('id="boot">', 1)[1].split("</script>", 1)[0])["template"]
        for phone in phones:
            phone.play_phase(template, rng)
    for phone in phones:
        phone.client.disconnect()
    print(f"{len(phones)} téléphones simulés dans l'atelier {args.code}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
