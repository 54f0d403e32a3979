#!/usr/bin/env python3
"""Writes an import file of N synthetic reports for bench/import (deterministic by seed).

    bench/import_file.py jsonl 10000 out.jsonl [seed]
    bench/import_file.py csv   10000 out.csv   [seed]

Reports are spread over the contiguous United States, received over the last four years, with
two to four parties each (an acquirer, its parent, sometimes an ultimate parent abroad), so
that screening does the work a real file asks of it: a county lookup, the zones around every
nearby site, the foreign-person test and the watchlist match of every party name.
"""
import csv
import datetime
import json
import random
import sys

COUNTRIES = ["CN", "CN", "RU", "IR", "VG", "KY", "SG", "AE", "GB", "DE", "JP", "US"]
KINDS = ["purchase", "lease", "concession"]
SOURCES = ["public_tip", "agency_referral", "company_report", "media", "other"]
WORDS = ["Huaxin", "Northstar", "Red Dragon", "Pacific", "Golden Field", "Amur", "Caspian",
         "Evergreen", "Blue Ridge", "Harbor", "Summit", "Prairie", "Silk Road", "Meridian"]
FORMS = ["LLC", "Holdings Ltd", "Group Co", "Capital Inc", "Partners LP"]


def report(i, rng, today):
    lat = round(rng.uniform(30.0, 48.0), 5)
    lon = round(rng.uniform(-120.0, -80.0), 5)
    received = today - datetime.timedelta(days=rng.randint(0, 4 * 365))
    name = lambda: f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(FORMS)}"
    parties = [{"key": "p1", "name": name(), "country": "US", "role": "acquirer"}]
    parties.append({"key": "p2", "name": name(), "country": rng.choice(COUNTRIES),
                    "role": "parent", "owns": "p1", "ownership_pct": rng.choice([51, 75, 100])})
    if rng.random() < 0.5:
        parties.append({"key": "p3", "name": name(), "country": rng.choice(COUNTRIES),
                        "role": "ultimate_parent", "owns": "p2", "ownership_pct": 100})
    return {
        "title": f"Parcel {i}: {rng.choice(['farmland', 'warehouse', 'data center', 'mine', 'port land'])}",
        "source": rng.choice(SOURCES),
        "summary": "Synthetic report for the import benchmark.",
        "received_on": received.isoformat(),
        "transaction": {"kind": rng.choice(KINDS), "value_usd": rng.randint(100_000, 50_000_000),
                        "rights": {"access": True, "exclude": rng.random() < 0.5,
                                   "improve": rng.random() < 0.5, "affix": False}},
        "property": {"lat": lat, "lon": lon, "address": f"{i} Synthetic Road",
                     "acreage": rng.randint(1, 5000)},
        "parties": parties,
    }


def main():
    fmt, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    today = datetime.date.today()
    reports = [report(i, rng, today) for i in range(n)]
    with open(out, "w", newline="", encoding="utf-8") as f:
        if fmt == "jsonl":
            for r in reports:
                f.write(json.dumps(r) + "\n")
        elif fmt == "csv":
            cols = ["report", "received_on", "title", "source", "summary", "transaction.kind",
                    "transaction.value_usd", "transaction.rights.access",
                    "transaction.rights.exclude", "transaction.rights.improve",
                    "transaction.rights.affix", "property.lat", "property.lon",
                    "property.address", "property.acreage", "party.key", "party.name",
                    "party.country", "party.role", "party.ownership_pct", "party.owns"]
            w = csv.writer(f)
            w.writerow(cols)
            for i, r in enumerate(reports):
                t, p = r["transaction"], r["property"]
                first = {"received_on": r["received_on"], "title": r["title"], "source": r["source"],
                         "summary": r["summary"], "transaction.kind": t["kind"],
                         "transaction.value_usd": t["value_usd"],
                         **{f"transaction.rights.{k}": "yes" if v else "no" for k, v in t["rights"].items()},
                         "property.lat": p["lat"], "property.lon": p["lon"],
                         "property.address": p["address"], "property.acreage": p["acreage"]}
                for j, party in enumerate(r["parties"]):
                    row = {"report": f"r{i}", **(first if j == 0 else {}),
                           **{f"party.{k}": v for k, v in party.items()}}
                    w.writerow([row.get(c, "") for c in cols])
        else:
            sys.exit("format must be jsonl or csv")


if __name__ == "__main__":
    main()
