// LAPACKE, the C interface to LAPACK (Debian: liblapacke-dev). MedTwin calls the
// `_work` variants only: they skip LAPACKE's own NaN scan and workspace allocation,
// so MedTwin validates input itself and reuses its workspaces.
#ifndef MEDTWIN_CLAPACKE_SHIM_H
#define MEDTWIN_CLAPACKE_SHIM_H
#include <lapacke.h>
#endif
