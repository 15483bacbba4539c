// TwinODE: initial-value problem solvers (issue 3). Placeholder until the solvers land.
