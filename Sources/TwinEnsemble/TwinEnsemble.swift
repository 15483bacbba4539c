// TwinEnsemble: many patients, one model (DESIGN.md).
