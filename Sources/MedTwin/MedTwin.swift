@_exported import TwinLinearAlgebra
