"""Synthetic Vietnamese citizens for demo data: names, 12-digit id numbers, addresses, phones.

Everything is drawn from one `random.Random`, so a seed gives the same people every time. The
material (names, places, phone prefixes) is data: resources/data/demo_data.json.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from counter.text import fold, nfc


@dataclass(frozen=True, slots=True)
class Person:
    full_name: str
    name_folded: str  # counter.text.fold(full_name), as the applicant table stores it
    sex: str  # Nam | Nữ
    birth_date: date
    id_number: str
    address: str
    address_folded: str
    phone: str
    email: str


_fold = functools.lru_cache(maxsize=8192)(fold)  # names and places are made of a few hundred words


def folded(*words: str, sep: str = " ") -> str:
    """fold() of the words joined by `sep`, from the folded words (the same text, far fewer calls)."""
    return sep.join(_fold(w) for w in words)


class Weighted:
    """A weighted choice that costs one bisect per draw (random.choices rebuilds its table)."""

    def __init__(self, pairs):
        items = [(k, w) for k, w in pairs if w > 0]
        self.items = [k for k, _ in items]
        self.cumulative = list(itertools.accumulate(w for _, w in items))

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class People:
    """Makes new citizens; keeps every id number it issued (and those already stored) unique.
    `data` is the file's "people" section, already through nfc_data."""

    def __init__(self, rng: random.Random, data: dict, taken_ids: set[str]):
        self.rng = rng
        self.taken = taken_ids
        self.family = Weighted(data["family_names"])
        self.middle = {sex: Weighted(data["middle_names"][key]) for sex, key in (("Nam", "male"), ("Nữ", "female"))}
        self.given = {sex: data["given_names"][key] for sex, key in (("Nam", "male"), ("Nữ", "female"))}
        self.phones = data["phone_prefixes"]
        self.domains = data["email_domains"]
        self.home = data["home"]
        self.home_share = data["home_share"] / 100
        self.places = Weighted((p, p["weight"]) for p in data["places"])
        self.named_hamlets = data["named_hamlets"]
        self.id_codes = [p["id_code"] for p in data["places"]]

    def person(self, on: date, ages: tuple[int, int]) -> Person:
        sex = "Nam" if self.rng.random() < 0.5 else "Nữ"
        birth = self.birth_date(on, ages)
        place = self.home if self.rng.random() < self.home_share else self.places.pick(self.rng)
        born_elsewhere = self.rng.random() < 0.15
        code = self.rng.choice(self.id_codes) if born_elsewhere else place["id_code"]
        name = self.name_parts(sex)
        address = self.address_parts(place)
        full_name = " ".join(name)
        return Person(full_name=full_name, name_folded=folded(*name), sex=sex, birth_date=birth,
                      id_number=self.id_number(code, sex, birth), address=", ".join(address),
                      address_folded=folded(*address, sep=", "), phone=self.phone(),
                      email=self.email(full_name, birth))

    def name_parts(self, sex: str, family: str | None = None) -> tuple[str, str, str]:
        return family or self.family.pick(self.rng), self.middle[sex].pick(self.rng), self.rng.choice(self.given[sex])

    def full_name(self, sex: str, family: str | None = None) -> str:
        return " ".join(self.name_parts(sex, family))

    def birth_date(self, on: date, ages: tuple[int, int]) -> date:
        low, high = ages
        age = int(self.rng.triangular(low, high + 1, low + (high - low) / 3))
        return on - timedelta(days=age * 365 + self.rng.randrange(365))

    def id_number(self, province_code: str, sex: str, birth: date) -> str:
        """`{province}{sex and century}{yy}{6 digits}`: 0/1 for men/women born 1900–1999, 2/3 from 2000."""
        digit = (0 if sex == "Nam" else 1) + 2 * (birth.year // 100 - 19)
        prefix = f"{province_code}{digit}{birth.year % 100:02d}"
        while True:
            candidate = f"{prefix}{self.rng.randrange(1_000_000):06d}"
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate

    def address_parts(self, place: dict) -> tuple[str, str, str]:
        """('Thôn 3', 'xã Quảng Hùng', 'tỉnh Thanh Hóa'): hamlet, commune, province."""
        kind = self.rng.choice(place["hamlet_kinds"])
        hamlets = place.get("hamlets")
        if hamlets:
            hamlet = self.rng.choice(hamlets)
        elif self.rng.random() < 0.5:
            hamlet = str(self.rng.randint(1, 15))
        else:
            hamlet = self.rng.choice(self.named_hamlets)
        return f"{kind} {hamlet}", f"xã {self.rng.choice(place['communes'])}", f"tỉnh {place['province']}"

    def phone(self) -> str:
        if self.rng.random() < 0.05:
            return ""  # some applicants give no number
        return f"{self.rng.choice(self.phones)}{self.rng.randrange(10_000_000):07d}"

    def email(self, name: str, birth: date) -> str:
        if self.rng.random() > 0.06:
            return ""
        handle = fold(name).replace(" ", "")
        return f"{handle}{birth.year % 100:02d}@{self.rng.choice(self.domains)}"


def nfc_data(value):
    """The data file with every string in NFC, so the names and addresses built from it are NFC too."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_data(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc_data(v) for k, v in value.items()}
    return value
