#!/usr/bin/env python3
"""Writes MedTwin's synthetic example patients (no real person's data) in both formats.

Run from this directory: python3 make_examples.py  (Python 3.8+, standard library only).

- vancomycin-cohort.csv (+ .units.json): 8 patients, 1000 mg IV over 1 h every 12 h (II/ADDL) into
  CMT 2 (the central compartment in NONMEM's ADVAN2/4 numbering of MedTwin's PK models, ROUTE iv),
  5 plasma concentrations each from a one-compartment model with weight- and CrCl-scaled
  clearance and 10 % proportional noise (seed 2024).
- vancomycin-cohort.json: the same cohort as a FHIR R4 Bundle (time 0 = 2024-03-01T08:00:00Z).
- vancomycin-cohort-ndjson/: the same cohort as an NDJSON bulk export (one file per resource type).
- theophylline-patient.csv (+ .units.json): one oral theophylline patient, 320 mg at time 0.
- glucose-patient.json: one person with type 1 diabetes over a day: weight, glucose in mg/dL
  and mmol/L, insulin levels, subcutaneous insulin doses given, and an insulin order
  (MedicationRequest) that becomes a planned regimen.
"""
import json
import math
import os
import random

ORIGIN = "2024-03-01T08:00:00Z"
ORIGIN_EPOCH = 1709280000  # 2024-03-01T08:00:00Z in seconds since 1970
HOURS_PER_YEAR = 8766.0    # 365.25 d, MedTwin's year


def iso(hours):
    import datetime
    t = datetime.datetime.fromtimestamp(ORIGIN_EPOCH + round(hours * 3600), tz=datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def birth_date(age_years):
    import datetime
    t = datetime.datetime.fromtimestamp(ORIGIN_EPOCH - age_years * HOURS_PER_YEAR * 3600, tz=datetime.timezone.utc)
    return t.strftime("%Y-%m-%d")


def age_at_origin(birth):
    import datetime
    b = datetime.datetime.strptime(birth, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc).timestamp()
    return (ORIGIN_EPOCH - b) / 3600 / HOURS_PER_YEAR


def vancomycin_cohort():
    rng = random.Random(2024)
    patients = []
    for i in range(1, 9):
        wt = round(rng.uniform(55, 105), 1)
        crcl = round(rng.uniform(40, 130), 1)
        sex = 1 if i % 2 else 2
        birth = birth_date(rng.uniform(25, 80))
        age = age_at_origin(birth)
        cl = 0.06 * crcl * 0.75          # L/h, vancomycin CL ≈ 0.75 × CrCl (mL/min → L/h × 0.06)
        v = 0.7 * wt                     # L
        k = cl / v
        doses = [12.0 * n for n in range(4)]
        times = [1.5, 11.5, 23.5, 35.5, 47.0]
        obs = []
        for t in times:
            c = 0.0
            for t0 in doses:             # 1000 mg over 1 h: rate 1000 mg/h
                if t <= t0:
                    continue
                if t < t0 + 1:
                    c += 1000 / cl * (1 - math.exp(-k * (t - t0)))
                else:
                    c += 1000 / cl * (1 - math.exp(-k)) * math.exp(-k * (t - t0 - 1))
            c *= 1 + 0.1 * rng.gauss(0, 1)
            obs.append((t, round(max(c, 0.01), 2)))
        patients.append(dict(id=str(100 + i), wt=wt, crcl=crcl, sex=sex, birth=birth, age=age, obs=obs))
    return patients


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")


def quantity(value, code, display=None):
    return {"value": value, "unit": display or code, "system": "http://unitsofmeasure.org", "code": code}


def loinc(code, display):
    return {"coding": [{"system": "http://loinc.org", "code": code, "display": display}]}


def vancomycin_resources(patients):
    resources = {"Patient": [], "Observation": [], "MedicationAdministration": []}
    for p in patients:
        ref = {"reference": "Patient/" + p["id"]}
        resources["Patient"].append({"resourceType": "Patient", "id": p["id"], "birthDate": p["birth"],
                                     "gender": "male" if p["sex"] == 1 else "female"})
        resources["Observation"].append({"resourceType": "Observation", "id": p["id"] + "-wt", "status": "final",
                                         "code": loinc("29463-7", "Body weight"), "subject": ref,
                                         "effectiveDateTime": iso(0), "valueQuantity": quantity(p["wt"], "kg")})
        resources["Observation"].append({"resourceType": "Observation", "id": p["id"] + "-crcl", "status": "final",
                                         "code": loinc("2164-2", "Creatinine renal clearance"), "subject": ref,
                                         "effectiveDateTime": iso(0), "valueQuantity": quantity(p["crcl"], "mL/min")})
        for n, (t, c) in enumerate(p["obs"]):
            resources["Observation"].append({"resourceType": "Observation", "id": "%s-c%d" % (p["id"], n + 1), "status": "final",
                                             "code": {"coding": [{"system": "urn:medtwin:quantity", "code": "DV"}], "text": "Vancomycin"},
                                             "subject": ref, "effectiveDateTime": iso(t), "valueQuantity": quantity(c, "mg/L")})
        for n in range(4):
            resources["MedicationAdministration"].append({
                "resourceType": "MedicationAdministration", "id": "%s-d%d" % (p["id"], n + 1), "status": "completed",
                "medicationCodeableConcept": {"text": "vancomycin"}, "subject": ref,
                "effectivePeriod": {"start": iso(12 * n), "end": iso(12 * n + 1)},
                "dosage": {"route": {"coding": [{"system": "http://snomed.info/sct", "code": "47625008", "display": "Intravenous"}]},
                           "dose": quantity(1000, "mg")}})
    return resources


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    os.chdir(here)
    patients = vancomycin_cohort()

    with open("vancomycin-cohort.csv", "w") as f:
        # NONMEM ADVAN2/4 numbering, as MedTwin's PK models: CMT 1 depot, CMT 2 central. The IV
        # infusion and the plasma levels are in CMT 2 (ROUTE iv says the same), so the CSV and
        # its FHIR copies (route IV) are simulated alike.
        f.write("ID,TIME,DV,AMT,DUR,EVID,CMT,MDV,II,ADDL,ROUTE,WT,AGE,SEX,CRCL\n")
        for p in patients:
            cov = "%s,%r,%d,%s" % (p["wt"], p["age"], p["sex"], p["crcl"])
            f.write("%s,0,.,1000,1,1,2,1,12,3,iv,%s\n" % (p["id"], cov))
            for t, c in p["obs"]:
                f.write("%s,%s,%s,.,.,0,2,0,.,.,.,%s\n" % (p["id"], t, c, cov))
    write_json("vancomycin-cohort.units.json", {"TIME": "h", "DV": "mg/L", "AMT": "mg", "WT": "kg", "AGE": "year", "CRCL": "mL/min"})

    resources = vancomycin_resources(patients)
    entries = []
    for kind in ("Patient", "Observation", "MedicationAdministration"):
        for r in resources[kind]:
            entries.append({"fullUrl": "urn:medtwin:%s:%s" % (kind.lower(), r["id"]), "resource": r})
    write_json("vancomycin-cohort.json", {"resourceType": "Bundle", "type": "collection", "entry": entries})
    os.makedirs("vancomycin-cohort-ndjson", exist_ok=True)
    for kind, items in resources.items():
        with open(os.path.join("vancomycin-cohort-ndjson", kind + ".ndjson"), "w") as f:
            for r in items:
                f.write(json.dumps(r, sort_keys=True) + "\n")

    with open("theophylline-patient.csv", "w") as f:
        f.write("ID,TIME,DV,AMT,EVID,CMT,MDV,WT\n")
        f.write("T1,0,.,320,1,1,1,70\n")
        for t, c in [(0.5, 4.1), (1, 7.2), (2, 8.9), (4, 7.8), (8, 5.6), (12, 4.1), (24, 1.7)]:
            f.write("T1,%s,%s,.,0,2,0,70\n" % (t, c))
    write_json("theophylline-patient.units.json", {"TIME": "h", "DV": "mg/L", "AMT": "mg", "WT": "kg"})

    ref = {"reference": "urn:uuid:8a6c2f0e-0000-4000-8000-000000000001"}
    glucose = [(0, 142, None), (2, 188, None), (4, None, 7.4), (6, 121, None), (10, None, 9.1), (14, 163, None)]
    entries = [
        {"fullUrl": ref["reference"], "resource": {
            "resourceType": "Patient", "id": "G1", "birthDate": "1991-06-15", "gender": "female",
            "name": [{"family": "Example", "given": ["Synthetic"]}]}},
        {"resource": {"resourceType": "Encounter", "id": "enc-1", "status": "finished"}},
        {"resource": {"resourceType": "Observation", "id": "g1-wt", "status": "final", "code": loinc("29463-7", "Body weight"),
                      "subject": ref, "effectiveDateTime": "2024-03-01T07:30:00+01:00", "valueQuantity": quantity(64.0, "kg")}},
    ]
    for n, (t, mgdl, mmol) in enumerate(glucose):
        if mgdl is not None:
            code, q = loinc("2339-0", "Glucose [Mass/volume] in Blood"), quantity(mgdl, "mg/dL")
        else:
            code, q = loinc("15074-8", "Glucose [Moles/volume] in Blood"), quantity(mmol, "mmol/L")
        entries.append({"resource": {"resourceType": "Observation", "id": "g1-glc-%d" % (n + 1), "status": "final", "code": code,
                                     "subject": ref, "effectiveDateTime": iso(t), "valueQuantity": q}})
    for n, (t, v) in enumerate([(1, 38.5), (5, 21.0)]):
        entries.append({"resource": {"resourceType": "Observation", "id": "g1-ins-%d" % (n + 1), "status": "final",
                                     "code": loinc("20448-7", "Insulin [Units/volume] in Serum or Plasma"), "subject": ref,
                                     "effectiveDateTime": iso(t), "valueQuantity": quantity(v, "u[IU]/mL", "µIU/mL")}})
    for n, (t, u) in enumerate([(0, 6), (4, 8), (10, 7)]):
        entries.append({"resource": {"resourceType": "MedicationAdministration", "id": "g1-dose-%d" % (n + 1), "status": "completed",
                                     "medicationCodeableConcept": {"text": "insulin aspart"}, "subject": ref, "effectiveDateTime": iso(t),
                                     "dosage": {"route": {"coding": [{"system": "http://snomed.info/sct", "code": "34206005"}]},
                                                "dose": quantity(u, "[iU]", "U")}}})
    entries.append({"resource": {"resourceType": "MedicationRequest", "id": "g1-order-1", "status": "active", "intent": "order",
                                 "medicationCodeableConcept": {"text": "insulin glargine"}, "subject": ref, "authoredOn": iso(-1),
                                 "dosageInstruction": [{"route": {"coding": [{"system": "http://snomed.info/sct", "code": "34206005"}]},
                                                        "timing": {"repeat": {"boundsPeriod": {"start": iso(14)}, "frequency": 1,
                                                                              "period": 1, "periodUnit": "d", "count": 3}},
                                                        "doseAndRate": [{"doseQuantity": quantity(20, "[iU]", "U")}]}]}})
    write_json("glucose-patient.json", {"resourceType": "Bundle", "type": "collection", "entry": entries})


if __name__ == "__main__":
    main()
