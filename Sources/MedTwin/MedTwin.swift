@_exported import TwinLinearAlgebra
@_exported import TwinODE
@_exported import TwinData
@_exported import TwinModels
@_exported import TwinEnsemble
@_exported import TwinFit
