// TwinModels: the physiological model library (issue 5). Placeholder until the models land.
