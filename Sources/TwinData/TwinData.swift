// TwinData: patient records, doses, observations and units (issue 4). Placeholder until the readers land.
