"""Build the deterministic benchmark corpus: English news-like articles, one file per article.

Usage: ``python tests/benchmarks/build_corpus.py [OUT_DIR] [--size-kb 1100] [--seed 5]``
(default OUT_DIR: ``build/bench-corpus``, which git ignores). The same arguments always give the same
bytes, so figures measured on different days compare.

The first article is the seed article (seeds/venezuela-russia.txt). The rest are generated from the
templates and word lists below: mostly plain prose without any fact, as real news is, with a share of
sentences that carry numbers, counts, quantities, ranges, money, percentages, dates, durations and weapon
names in the forms news writes them. The prose vocabulary avoids words the built-in packs read as facts
(number words, month and weekday names, "today", unit letters) so that prose stays fact-free.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")

DEFAULT_SIZE_KB = 1100
DEFAULT_SEED = 5
FACT_SHARE = 0.3  # share of sentences that carry at least one fact
SEED_ARTICLE = Path(__file__).resolve().parents[2] / "seeds" / "venezuela-russia.txt"

# --- prose -------------------------------------------------------------------------------------------

PLACES = [
    "Caracas", "Moscow", "Washington", "Brussels", "Kyiv", "Beijing", "Tehran", "Ankara", "Damascus",
    "Havana", "Bogota", "Brasilia", "Berlin", "Paris", "London", "Warsaw", "Vilnius", "Riga", "Tallinn",
    "Minsk", "Tbilisi", "Baku", "Yerevan", "Delhi", "Islamabad", "Seoul", "Tokyo", "Pyongyang", "Taipei",
    "Manila", "Hanoi", "Jakarta", "Canberra", "Cairo", "Riyadh", "Doha", "Baghdad", "Beirut", "Amman",
    "Nairobi", "Addis Ababa", "Khartoum", "Tripoli", "Algiers", "Rabat", "Lagos", "Pretoria", "Ottawa",
    "Mexico City", "Lima", "Santiago", "Buenos Aires", "Quito", "La Paz", "Managua", "Panama City",
]
COUNTRIES = [
    "Venezuela", "Russia", "the United States", "China", "Iran", "Turkey", "Syria", "Cuba", "Colombia",
    "Brazil", "Germany", "France", "Britain", "Poland", "Ukraine", "Belarus", "Georgia", "India",
    "Pakistan", "South Korea", "Japan", "North Korea", "Taiwan", "the Philippines", "Vietnam", "Indonesia",
    "Australia", "Egypt", "Saudi Arabia", "Qatar", "Iraq", "Lebanon", "Jordan", "Kenya", "Ethiopia",
    "Sudan", "Libya", "Algeria", "Morocco", "Nigeria", "South Africa", "Canada", "Mexico", "Peru", "Chile",
    "Argentina", "Ecuador", "Bolivia", "Nicaragua", "Panama",
]
ADJECTIVES_OF_PLACE = [
    "Venezuelan", "Russian", "American", "Chinese", "Iranian", "Turkish", "Syrian", "Cuban", "Colombian",
    "Brazilian", "German", "French", "British", "Polish", "Ukrainian", "Indian", "Japanese", "Korean",
    "Egyptian", "Saudi", "Iraqi", "Kenyan", "Nigerian", "Canadian", "Mexican", "Chilean", "Argentine",
]
PEOPLE = [
    "the foreign minister", "the defense minister", "a government spokesperson", "the prime minister",
    "the president", "the opposition leader", "a senior diplomat", "the ambassador", "a military analyst",
    "the central bank governor", "the finance minister", "a senior official", "the army chief of staff",
    "a regional governor", "the interior minister", "a parliamentary committee", "the national security adviser",
    "an independent researcher", "a veteran correspondent", "the head of the election commission",
    "a former intelligence officer", "the mayor", "a union leader", "the trade representative",
    "an industry group", "a human rights monitor", "the state broadcaster", "a think tank",
]
NAMES = [
    "Maria Zakharova", "Elena Vargas", "Tomas Herrera", "Anna Kowalska", "Dmitri Orlov", "Priya Raman",
    "Kenji Watanabe", "Fatima Haddad", "Samuel Okafor", "Laura Bennett", "Carlos Mendoza", "Ingrid Holm",
    "Yusuf Demir", "Olga Petrenko", "Hassan Karimi", "Lucia Ferreira", "Mark Ellison", "Sofia Lindqvist",
    "Ahmed Nasser", "Grace Mwangi", "Pierre Lambert", "Nadia Benali", "Victor Castillo", "Hana Kim",
]
ORGS = [
    "the United Nations", "NATO", "the European Union", "the International Monetary Fund",
    "the World Bank", "the Organization of American States", "the African Union", "the Red Cross",
    "the Pentagon", "the Kremlin", "the State Department", "the Foreign Ministry", "the Defense Ministry",
    "the Security Council", "the central bank", "the national assembly", "the supreme court",
    "the electoral council", "the state oil company", "the customs service", "the coast guard",
]
SPEECH_VERBS = [
    "said", "told reporters", "argued", "warned", "insisted", "noted", "added", "claimed", "acknowledged",
    "stressed", "suggested", "conceded", "maintained", "wrote in a statement", "said in an interview",
]
CLAIMS = [
    "the talks had stalled over questions of sequencing",
    "the government would not bow to outside pressure",
    "the sanctions were hurting ordinary families more than the elite",
    "the deployment was routine and posed no threat to its neighbors",
    "the agreement left too many questions unanswered",
    "the region could not afford another protracted conflict",
    "the negotiators were close to a framework deal",
    "the move was intended to send a signal to allies",
    "the accusations were baseless and politically motivated",
    "the ministry was reviewing its options",
    "the new rules would be enforced strictly",
    "the economy was showing signs of recovery despite the turmoil",
    "the opposition had lost the confidence of its own supporters",
    "the decision had been taken after long consultations with partners",
    "cooperation between the militaries was continuing as planned",
    "the blackout had exposed deep problems in the power grid",
    "the country would defend its sovereignty by every lawful means",
    "the investigation was still at an early stage",
    "the humanitarian situation was deteriorating quickly",
    "the corridor had been reopened under international supervision",
    "inflation had eroded wages across the public sector",
    "the measures were temporary and would be reviewed",
    "the border crossing had become a flashpoint for tensions",
    "relations between the capitals had reached a low point",
]
SUBJECTS = [
    "Diplomats", "Analysts", "Officials", "Residents", "Investors", "Lawmakers", "Opposition figures",
    "Aid workers", "Business owners", "Economists", "Military planners", "Critics of the government",
    "Supporters of the president", "Observers", "Energy traders", "Regional leaders", "Journalists",
    "Human rights groups", "Local authorities", "Western governments", "Neighboring states",
]
PREDICATES = [
    "have expressed growing concern about the direction of the talks",
    "remain divided over how to respond to the crisis",
    "are watching the situation closely",
    "have called for restraint on all sides",
    "see little prospect of a quick settlement",
    "have struggled to make sense of the mixed signals",
    "expect the pressure to intensify",
    "have questioned whether the plan can work",
    "say the shortages have become part of daily life",
    "doubt that the promised reforms will materialize",
    "have urged the government to publish its figures",
    "are preparing for a long standoff",
    "have accused the authorities of stifling dissent",
    "believe the dispute will end up in court",
    "point to the collapse of public services",
    "fear that the violence could spread across the border",
    "have welcomed the announcement with caution",
    "were taken by surprise by the scale of the protests",
    "describe the mood in the capital as tense but calm",
    "have long warned of the risks of escalation",
]
CONNECTIVES = [
    "Meanwhile,", "At the same time,", "Still,", "However,", "In a separate development,", "Even so,",
    "For now,", "Behind the scenes,", "Nevertheless,", "In response,", "By contrast,", "Elsewhere,",
]
SCENES = [
    "Long lines formed outside the pharmacies and grocery stores",
    "Streets near the presidential palace were blocked by police vans",
    "Crowds gathered in the main square waving flags and banners",
    "The airport remained open, though several carriers suspended service",
    "Shops in the old quarter reopened after the curfew was lifted",
    "Soldiers were posted at checkpoints along the coastal highway",
    "Power cuts left whole neighborhoods in darkness",
    "Ferries resumed their crossings after the storm had passed",
    "The market district was unusually quiet",
    "Students marched through the university campus chanting slogans",
    "Traffic crawled through the capital as roads were closed for the motorcade",
    "Workers at the port walked off the job in protest",
]
SCENE_TAILS = [
    "as rumors spread on social media",
    "while officials appealed for calm",
    "and few people were willing to speak on the record",
    "despite assurances from the authorities",
    "amid a heavy security presence",
    "as families tried to stock up on essentials",
    "in scenes that recalled earlier unrest",
    "after talks between the factions broke down",
]
HEADLINE_PARTS = [
    ("Tensions Rise Over", "Deployment in"), ("Talks Stall as", "Digs In"), ("Sanctions Bite in", ""),
    ("Protests Spread Across", ""), ("Defense Chiefs Meet in", ""), ("Aid Convoy Reaches", ""),
    ("Election Dispute Deepens in", ""), ("Energy Crisis Grips", ""), ("Border Standoff Tests", ""),
    ("Military Drills Near", "Draw Rebuke"), ("Economy Shrinks Again in", ""), ("Court Rules Against", ""),
]

# --- facts -------------------------------------------------------------------------------------------

COUNT_NOUNS = ["troops", "soldiers", "personnel", "civilians", "refugees", "protesters", "workers",
               "people", "military advisers", "diplomats", "residents", "employees", "prisoners",
               "aircraft", "tanks", "drones", "missiles", "vehicles", "warships", "homes", "jobs"]
UNITS = [("km", "length"), ("kilometers", "length"), ("miles", "length"), ("meters", "length"),
         ("feet", "length"), ("nautical miles", "length"), ("tonnes", "mass"), ("tons", "mass"),
         ("kilograms", "mass"), ("pounds", "mass"), ("barrels", "volume"), ("liters", "volume"),
         ("gallons", "volume"), ("km/h", "speed"), ("mph", "speed"), ("knots", "speed"),
         ("megawatts", "power"), ("MW", "power"), ("hectares", "area"), ("square kilometers", "area"),
         ("degrees Celsius", "temperature"), ("terabytes", "data")]
CURRENCIES = [("$", ""), ("€", ""), ("£", ""), ("", " dollars"), ("", " euros"), ("", " rubles"),
              ("", " bolivars"), ("US$", ""), ("", " yuan")]
QUALIFIERS = ["", "", "", "about ", "up to ", "more than ", "nearly ", "at least ", "some ", "fewer than ",
              "roughly ", "almost ", "as many as ", "over "]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MONTH_ABBR = ["Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SMALL_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve",
               "fifteen", "twenty", "thirty", "forty", "fifty", "a dozen", "twenty-five", "a hundred"]
WEAPONS = ["S-300", "S-400", "Pantsir-S1", "Buk-M2", "Patriot", "Iskander", "Kalibr", "Kinzhal",
           "Tomahawk", "HIMARS", "Javelin", "NLAW", "T-72", "T-90", "Leopard 2", "M1 Abrams", "Su-35",
           "Su-30", "MiG-29", "F-16", "F-35", "Tu-160", "Tu-95", "Bayraktar TB2", "Shahed-136",
           "Orlan-10", "Antonov An-124", "Il-76", "C-17", "Mi-24", "Ka-52", "AH-64 Apache",
           "Admiral Kuznetsov", "Kilo-class submarine", "Arleigh Burke-class destroyer", "Novator 9M729",
           "SA-21 Growler", "Storm Shadow", "Stinger", "Grad"]
PURPOSES = ["for air defense", "for coastal patrols", "to guard the oil fields", "near the border",
            "at a base outside the capital", "for joint exercises", "on a training mission",
            "to the northern front", "in the disputed region", "for reconnaissance flights"]


def cap(text: object) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


class Writer:
    """Sentence and article generators over one seeded random source."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def pick(self, items: Sequence[T]) -> T:
        return self.r.choice(items)

    # -- facts, each in a form news writes it --

    def number(self, big: bool = False) -> str:
        r = self.r
        form = r.random()
        if form < 0.25:
            return self.pick(SMALL_WORDS)
        if form < 0.45:
            return f"{r.randint(1000, 999_999):,}"
        if form < 0.6:
            return f"{r.randint(1, 99)}.{r.randint(1, 9)} {self.pick(['million', 'billion', 'thousand'])}"
        if form < 0.7 and big:
            return f"{r.randint(2, 950)}{self.pick(['bn', 'm', ' mln', 'k'])}"
        return str(r.randint(2, 999))

    def count(self) -> str:
        value = self.pick(SMALL_WORDS) if self.r.random() < 0.3 else f"{self.r.randint(2, 40_000):,}"
        return f"{self.pick(QUALIFIERS)}{value} {self.pick(COUNT_NOUNS)}"

    def quantity(self) -> str:
        unit = self.pick(UNITS)[0]
        value = self.number() if self.r.random() < 0.3 else str(self.r.randint(2, 4000))
        sep = self.pick([" ", " ", "-"]) if unit not in ("km/h", "MW") else " "
        return f"{self.pick(QUALIFIERS)}{value}{sep}{unit}"

    def range_(self, dimension: str | None = None) -> str:
        low = self.r.randint(2, 500)
        high = low + self.r.randint(1, 3000)
        units = [u for u, d in UNITS if dimension in (None, d)] + ([] if dimension else COUNT_NOUNS[:6])
        unit = self.pick(units)
        form = self.r.random()
        if form < 0.4:
            return f"{low:,} to {high:,} {unit}"
        if form < 0.7:
            return f"between {low:,} and {high:,} {unit}"
        return f"{low}-{high} {unit}"

    def money(self) -> str:
        symbol, name = self.pick(CURRENCIES)
        value = self.number(big=True) if self.r.random() < 0.7 else f"{self.r.randint(1, 99_999):,}"
        if symbol:
            return f"{self.pick(QUALIFIERS)}{symbol}{value}"
        return f"{self.pick(QUALIFIERS)}{value}{name}"

    def percent(self) -> str:
        value = self.pick([str(self.r.randint(1, 99)), f"{self.r.randint(0, 60)}.{self.r.randint(1, 9)}"])
        return f"{self.pick(QUALIFIERS)}{value}{self.pick(['%', ' percent', ' per cent', '%'])}"

    def date(self) -> str:
        r = self.r
        year = r.randint(1990, 2025)
        day = r.randint(1, 28)
        return self.pick([
            f"{self.pick(MONTHS)} {day}", f"{self.pick(MONTHS)} {day}, {year}", f"{day} {self.pick(MONTHS)} {year}",
            f"{self.pick(MONTH_ABBR)} {day}", f"{year}-{r.randint(1, 12):02d}-{day:02d}", f"in {year}",
            f"last {self.pick(WEEKDAYS)}", f"on {self.pick(WEEKDAYS)}", f"{self.pick(MONTHS)} {year}",
            f"the {r.randint(197, 201)}0s", f"{self.pick(['three', 'two', 'six', 'several'])} weeks ago",
            "yesterday", f"Q{r.randint(1, 4)} {year}", f"early {self.pick(MONTHS)}", f"since {year}",
        ])

    def duration(self) -> str:
        return f"{self.pick(['two', 'three', 'six', '18', '48', 'ten', '90'])} {self.pick(['days', 'hours', 'months', 'years', 'weeks'])}"

    def weapon(self) -> str:
        return self.pick(WEAPONS)

    # -- sentences --

    def prose_sentence(self) -> str:
        form = self.r.random()
        if form < 0.3:
            who = self.pick(PEOPLE + NAMES)
            return f"{cap(self.pick(CLAIMS))}, {who} {self.pick(SPEECH_VERBS)}."
        if form < 0.55:
            lead = self.pick(CONNECTIVES) + " " if self.r.random() < 0.35 else ""
            subj = str(self.pick(SUBJECTS))
            subj = subj if not lead else subj[0].lower() + subj[1:]
            return f"{lead}{subj} in {self.pick(PLACES)} {self.pick(PREDICATES)}."
        if form < 0.75:
            return f"{self.pick(SCENES)} {self.pick(SCENE_TAILS)}."
        if form < 0.9:
            return f"{cap(self.pick(ORGS))} {self.pick(SPEECH_VERBS)} that {self.pick(CLAIMS)}."
        return (f"\u201cWe will not accept this,\u201d {self.pick(NAMES)}, an adviser to the "
                f"{self.pick(ADJECTIVES_OF_PLACE)} government, {self.pick(SPEECH_VERBS)}.")

    def fact_sentence(self) -> str:
        templates: list[Callable[[], str]] = [
            lambda: f"{cap(self.pick(ORGS))} said {self.count()} had been sent to {self.pick(COUNTRIES)} {self.date()}.",
            lambda: f"The convoy travelled {self.quantity()} before it was stopped near {self.pick(PLACES)}.",
            lambda: f"The missile has a range of {self.range_('length')}, according to {self.pick(PEOPLE)}.",
            lambda: f"Inflation reached {self.percent()} in {self.pick(MONTHS)}, while the currency lost {self.percent()} of its value.",
            lambda: f"{self.pick(COUNTRIES)} pledged {self.money()} in aid, {self.pick(PEOPLE)} {self.pick(SPEECH_VERBS)}.",
            lambda: f"Satellite images showed {self.weapon()} launchers and {self.weapon()} units {self.pick(PURPOSES)}.",
            lambda: f"{self.pick(ADJECTIVES_OF_PLACE)} forces deployed {self.pick(SMALL_WORDS)} {self.weapon()} systems {self.pick(PURPOSES)} {self.date()}.",
            lambda: f"The deal, signed {self.date()}, is worth {self.money()} over {self.duration()}.",
            lambda: f"Output fell to {self.quantity()} a day, down {self.percent()} from a year earlier.",
            lambda: f"Estimates of the crowd ranged {self.range_()}, {self.pick(PEOPLE)} {self.pick(SPEECH_VERBS)}.",
            lambda: f"Officials said the strike killed {self.count()} and wounded {self.number()} others.",
            lambda: f"A {self.weapon()} flew {self.quantity()} at {self.quantity()} during the exercise.",
            lambda: f"{cap(self.pick(ORGS))} expects growth of {self.percent()} next year and a deficit of {self.money()}.",
            lambda: f"Turnout was {self.percent()}, with {self.number()} votes cast across {self.r.randint(3, 400)} districts.",
            lambda: f"The blackout lasted {self.duration()} and affected {self.count()} in {self.pick(PLACES)}.",
            lambda: f"Temperatures reached {self.r.randint(20, 45)} degrees Celsius as the drought entered its {self.pick(['third', 'fourth', 'fifth', '10th', '12th'])} month.",
            lambda: f"Between {self.date()} and {self.date()}, {self.count()} crossed the border, {self.pick(PEOPLE)} {self.pick(SPEECH_VERBS)}.",
            lambda: f"Exports of crude rose to {self.r.randint(100, 2500):,},000 barrels per day, earning {self.money()}.",
            lambda: f"The {self.weapon()} can strike targets {self.range_('length')} away.",
        ]
        return self.pick(templates)()

    def paragraph(self) -> str:
        n = self.r.randint(2, 6)
        return " ".join(self.fact_sentence() if self.r.random() < FACT_SHARE else self.prose_sentence()
                        for _ in range(n))

    def article(self) -> str:
        head, tail = self.pick(HEADLINE_PARTS)
        place = self.pick(COUNTRIES)
        headline = f"{head} {place}" + (f" {tail}" if tail else "")
        headline = headline.replace(" the ", " The ")
        dateline = f"{str(self.pick(PLACES)).upper()} \u2014 "
        paragraphs = [self.paragraph() for _ in range(self.r.randint(5, 14))]
        paragraphs[0] = dateline + paragraphs[0]
        return headline + "\n\n" + "\n\n".join(paragraphs) + "\n"


def build_articles(size_kb: int = DEFAULT_SIZE_KB, seed: int = DEFAULT_SEED) -> list[str]:
    """The seed article, then generated articles until their characters add up to ``size_kb`` * 1024."""
    articles = [SEED_ARTICLE.read_text(encoding="utf-8")]
    writer = Writer(seed)
    total = len(articles[0])
    while total < size_kb * 1024:
        articles.append(writer.article())
        total += len(articles[-1])
    return articles


def write_corpus(out_dir: Path, size_kb: int = DEFAULT_SIZE_KB, seed: int = DEFAULT_SEED) -> Path:
    """Write one UTF-8 file per article into ``out_dir`` (``article-0000.txt``, ...); return ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("article-*.txt"):
        old.unlink()
    for i, text in enumerate(build_articles(size_kb, seed)):
        (out_dir / f"article-{i:04d}.txt").write_text(text, encoding="utf-8")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", nargs="?", default="build/bench-corpus", help="directory to write the articles to")
    ap.add_argument("--size-kb", type=int, default=DEFAULT_SIZE_KB, help="at least this many KiB of text")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    out = write_corpus(Path(args.out_dir), args.size_kb, args.seed)
    files = sorted(out.glob("article-*.txt"))
    chars = sum(len(f.read_text(encoding="utf-8")) for f in files)
    print(f"{out}: {len(files)} articles, {chars:,} characters")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
