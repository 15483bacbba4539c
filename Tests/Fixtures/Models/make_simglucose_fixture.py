#!/usr/bin/env python3
"""24-hour UVA/Padova responses from simglucose, the reference for TwinModelsTests.

Runs simglucose's T1DPatient (the 2008 UVA/Padova model as simglucose implements it) minute by
minute, exactly as its simulation environment does (inputs held constant over each 1-minute
step, scipy's dopri5 restarted every minute), but without the pump's rounding and the CGM
sensor, so that the inputs are exactly those written below:

  * meals (g carbohydrate) announced at the listed minute and eaten at simglucose's 5 g/min;
  * basal insulin at the subject's steady-state rate u2ss * BW / 6000 U/min;
  * in the "bolus" arm, a meal bolus of CHO / CR units (CR from simglucose's Quest.csv)
    delivered over the one minute that starts at the meal time.

Output: simglucose_24h.csv with columns
  subject, arm, minute, plasma_glucose_mg_dl (Gp/Vg), subcutaneous_glucose_mg_dl (Gs/Vg,
  the quantity simglucose reports as "BG"), plasma_insulin_pmol_l (Ip/Vi),
sampled every 5 minutes from 0 to 1440. And the simglucose version it was made with.

Usage (Python 3.11):
  python3 -m venv /tmp/sgvenv && /tmp/sgvenv/bin/pip install simglucose==0.2.11
  /tmp/sgvenv/bin/python make_simglucose_fixture.py        # writes simglucose_24h.csv here
"""
import csv
import os
import time
from importlib.metadata import version

import pandas as pd
from simglucose.patient.t1dpatient import T1DPatient, Action

SUBJECTS = ["adolescent#001", "adult#001", "adult#007", "child#001"]
# (minute after midnight, grams of carbohydrate): breakfast 07:00, lunch 12:00, dinner 18:30
MEALS = [(7 * 60, 45.0), (12 * 60, 70.0), (18 * 60 + 30, 62.0)]
MINUTES = 24 * 60
EVERY = 5

HERE = os.path.dirname(os.path.abspath(__file__))
QUEST = pd.read_csv(os.path.join(os.path.dirname(T1DPatient.withID.__globals__["PATIENT_PARA_FILE"]), "Quest.csv"))


def run(name, arm):
    patient = T1DPatient.withName(name)
    params = patient._params
    basal = params.u2ss * params.BW / 6000.0  # U/min
    carb_ratio = float(QUEST.loc[QUEST.Name == name, "CR"].iloc[0])
    meals = dict(MEALS)
    rows = []
    for minute in range(MINUTES + 1):
        if minute % EVERY == 0:
            x = patient.state
            rows.append((name, arm, minute, x[3] / params.Vg, x[12] / params.Vg, x[5] / params.Vi))
        if minute == MINUTES:
            break
        cho = meals.get(minute, 0.0)
        insulin = basal
        if arm == "bolus" and cho > 0:
            insulin += cho / carb_ratio  # U over this one minute
        patient.step(Action(CHO=cho, insulin=insulin))
    return rows


def main():
    out = os.path.join(HERE, "simglucose_24h.csv")
    rows = []
    started = time.perf_counter()
    for name in SUBJECTS:
        for arm in ("basal", "bolus"):
            rows += run(name, arm)
    elapsed = time.perf_counter() - started
    runs = len(SUBJECTS) * 2
    with open(out, "w", newline="") as f:
        f.write(f"# simglucose {version('simglucose')}, scipy {version('scipy')}, numpy {version('numpy')}; "
                f"meals {MEALS} (minute, g); made by make_simglucose_fixture.py\n")
        f.write(f"# {runs} patient-days in {elapsed:.2f} s: {elapsed / runs:.3f} s per patient-day on the machine that made this file\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["subject", "arm", "minute", "plasma_glucose_mg_dl", "subcutaneous_glucose_mg_dl", "plasma_insulin_pmol_l"])
        for r in rows:
            w.writerow([r[0], r[1], r[2], f"{r[3]:.6f}", f"{r[4]:.6f}", f"{r[5]:.6f}"])
    print(f"wrote {out}: {len(rows)} rows; {elapsed / runs:.3f} s per patient-day")


if __name__ == "__main__":
    main()
