/* SUNDIALS CVODE on MedTwin's single-trajectory ODE benchmark problems, the C yardstick of
   Benchmarks/compare/ode.sh. Adams + fixed point for the non-stiff PK problem, BDF + Newton with a
   dense linear solver and the analytic Jacobian for the stiff ones (as ../../../shared/peers/cvode_ens.c
   drives CVODE). Doses are handled by stopping at each dose time, adding the amount and
   re-initialising (CVodeReInit), so no step straddles a dose.
   Usage: cvode_problems REPS  -> one RESULT line per problem: min/median ms over REPS solves
   (after one warm-up), work counters and the final state.                                          */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunnonlinsol/sunnonlinsol_fixedpoint.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
#define Y(v) N_VGetArrayPointer(v)
#define J_(M, i, j) SM_ELEMENT_D(M, i, j)

static int rober(sunrealtype t, N_Vector y, N_Vector dy, void *d) {
  (void)t; (void)d; double *u = Y(y), *f = Y(dy);
  f[0] = -0.04 * u[0] + 1e4 * u[1] * u[2]; f[1] = 0.04 * u[0] - 1e4 * u[1] * u[2] - 3e7 * u[1] * u[1]; f[2] = 3e7 * u[1] * u[1];
  return 0;
}
static int rober_jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *d, N_Vector a, N_Vector b, N_Vector c) {
  (void)t; (void)fy; (void)d; (void)a; (void)b; (void)c; double *u = Y(y);
  J_(J,0,0) = -0.04; J_(J,0,1) = 1e4 * u[2]; J_(J,0,2) = 1e4 * u[1];
  J_(J,1,0) = 0.04;  J_(J,1,1) = -1e4 * u[2] - 6e7 * u[1]; J_(J,1,2) = -1e4 * u[1];
  J_(J,2,0) = 0;     J_(J,2,1) = 6e7 * u[1]; J_(J,2,2) = 0;
  return 0;
}
static int vdp(sunrealtype t, N_Vector y, N_Vector dy, void *d) {
  (void)t; (void)d; double *u = Y(y), *f = Y(dy);
  f[0] = u[1]; f[1] = 1000.0 * (1 - u[0] * u[0]) * u[1] - u[0];
  return 0;
}
static int vdp_jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *d, N_Vector a, N_Vector b, N_Vector c) {
  (void)t; (void)fy; (void)d; (void)a; (void)b; (void)c; double *u = Y(y);
  J_(J,0,0) = 0; J_(J,0,1) = 1; J_(J,1,0) = -2000.0 * u[0] * u[1] - 1; J_(J,1,1) = 1000.0 * (1 - u[0] * u[0]);
  return 0;
}
static int hires(sunrealtype t, N_Vector y, N_Vector dy, void *d) {
  (void)t; (void)d; double *u = Y(y), *f = Y(dy), r = 280 * u[5] * u[7];
  f[0] = -1.71 * u[0] + 0.43 * u[1] + 8.32 * u[2] + 0.0007; f[1] = 1.71 * u[0] - 8.75 * u[1];
  f[2] = -10.03 * u[2] + 0.43 * u[3] + 0.035 * u[4]; f[3] = 8.32 * u[1] + 1.71 * u[2] - 1.12 * u[3];
  f[4] = -1.745 * u[4] + 0.43 * u[5] + 0.43 * u[6]; f[5] = -r + 0.69 * u[3] + 1.71 * u[4] - 0.43 * u[5] + 0.69 * u[6];
  f[6] = r - 1.81 * u[6]; f[7] = -r + 1.81 * u[6];
  return 0;
}
static int hires_jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *d, N_Vector a, N_Vector b, N_Vector c) {
  (void)t; (void)fy; (void)d; (void)a; (void)b; (void)c; double *u = Y(y);
  SUNMatZero(J);
  J_(J,0,0) = -1.71; J_(J,0,1) = 0.43; J_(J,0,2) = 8.32; J_(J,1,0) = 1.71; J_(J,1,1) = -8.75;
  J_(J,2,2) = -10.03; J_(J,2,3) = 0.43; J_(J,2,4) = 0.035; J_(J,3,1) = 8.32; J_(J,3,2) = 1.71; J_(J,3,3) = -1.12;
  J_(J,4,4) = -1.745; J_(J,4,5) = 0.43; J_(J,4,6) = 0.43;
  J_(J,5,3) = 0.69; J_(J,5,4) = 1.71; J_(J,5,5) = -0.43 - 280 * u[7]; J_(J,5,6) = 0.69; J_(J,5,7) = -280 * u[5];
  J_(J,6,5) = 280 * u[7]; J_(J,6,6) = -1.81; J_(J,6,7) = 280 * u[5];
  J_(J,7,5) = -280 * u[7]; J_(J,7,6) = 1.81; J_(J,7,7) = -280 * u[5];
  return 0;
}
/* Two-compartment oral PK, typical parameters (ka, CL, V1, Q, V2) = (1, 5, 20, 2, 40). */
static int pk(sunrealtype t, N_Vector y, N_Vector dy, void *d) {
  (void)t; (void)d; double *u = Y(y), *f = Y(dy), ka = 1, k10 = 5.0 / 20, k12 = 2.0 / 20, k21 = 2.0 / 40;
  f[0] = -ka * u[0]; f[1] = ka * u[0] - (k10 + k12) * u[1] + k21 * u[2]; f[2] = k12 * u[1] - k21 * u[2];
  return 0;
}

typedef struct { const char *name; int n, bdf; double tend, rtol, atol, y0[8]; CVRhsFn f; CVLsJacFn jac; int doses; } problem_t;
static const problem_t P[] = {
  {"robertson", 3, 1, 1e5, 1e-6, 1e-10, {1, 0, 0}, rober, rober_jac, 0},
  {"vanderpol", 2, 1, 3000, 1e-6, 1e-6, {2, 0}, vdp, vdp_jac, 0},
  {"hires", 8, 1, 321.8122, 1e-6, 1e-9, {1, 0, 0, 0, 0, 0, 0, 0.0057}, hires, hires_jac, 0},
  {"pk-5-doses", 3, 0, 72, 1e-6, 1e-9, {0, 0, 0}, pk, NULL, 5},
};

static void solve(const problem_t *p, SUNContext ctx, double *out, long *steps, long *fevals, long *jevals, long *lu) {
  N_Vector y = N_VNew_Serial(p->n, ctx);
  for (int i = 0; i < p->n; i++) Y(y)[i] = p->y0[i];
  if (p->doses) Y(y)[0] += 100;
  void *mem = CVodeCreate(p->bdf ? CV_BDF : CV_ADAMS, ctx);
  CVodeInit(mem, p->f, 0.0, y);
  CVodeSStolerances(mem, p->rtol, p->atol);
  CVodeSetMaxNumSteps(mem, 10000000);
  SUNMatrix A = NULL; SUNLinearSolver LS = NULL; SUNNonlinearSolver NLS = NULL;
  if (p->bdf) { A = SUNDenseMatrix(p->n, p->n, ctx); LS = SUNLinSol_Dense(y, A, ctx); CVodeSetLinearSolver(mem, LS, A); CVodeSetJacFn(mem, p->jac); }
  else { NLS = SUNNonlinSol_FixedPoint(y, 0, ctx); CVodeSetNonlinearSolver(mem, NLS); }
  double t = 0;
  *steps = *fevals = *jevals = *lu = 0;
  int segments = p->doses ? p->doses : 1;
  for (int k = 0; k < segments; k++) {
    double stop = (p->doses && k < segments - 1) ? 12.0 * (k + 1) : p->tend;
    CVodeSetStopTime(mem, stop);
    int flag = CVode(mem, stop, y, &t, CV_NORMAL);
    if (flag < 0) { fprintf(stderr, "%s: CVODE flag %d at t=%g\n", p->name, flag, t); exit(1); }
    long s, f, j = 0, l = 0; CVodeGetNumSteps(mem, &s); CVodeGetNumRhsEvals(mem, &f);
    if (p->bdf) { CVodeGetNumJacEvals(mem, &j); CVodeGetNumLinSolvSetups(mem, &l); long fl = 0; CVodeGetNumLinRhsEvals(mem, &fl); f += fl; }
    *steps += s; *fevals += f; *jevals += j; *lu += l;
    if (k < segments - 1) { Y(y)[0] += 100; CVodeReInit(mem, t, y); }
  }
  for (int i = 0; i < p->n; i++) out[i] = Y(y)[i];
  CVodeFree(&mem); if (LS) SUNLinSolFree(LS); if (A) SUNMatDestroy(A); if (NLS) SUNNonlinSolFree(NLS); N_VDestroy(y);
}

int main(int argc, char **argv) {
  int R = argc > 1 ? atoi(argv[1]) : 5; if (R < 1) R = 1; if (R > 100) R = 100;
  SUNContext ctx; SUNContext_Create(NULL, &ctx);
  for (size_t k = 0; k < sizeof P / sizeof P[0]; k++) {
    double out[8], times[100]; long s, f, j, l;
    solve(&P[k], ctx, out, &s, &f, &j, &l);
    for (int r = 0; r < R; r++) { double t0 = now(); solve(&P[k], ctx, out, &s, &f, &j, &l); times[r] = now() - t0; }
    qsort(times, R, sizeof(double), cmp);
    printf("RESULT peer=cvode problem=%s method=%s steps=%ld f_evals=%ld jac_evals=%ld lu=%ld min_ms=%.4f med_ms=%.4f final=[",
           P[k].name, P[k].bdf ? "bdf" : "adams", s, f, j, l, times[0] * 1e3, times[R / 2] * 1e3);
    for (int i = 0; i < P[k].n; i++) printf(i ? " %.17g" : "%.17g", out[i]);
    printf("]\n");
  }
  SUNContext_Free(&ctx);
  return 0;
}
