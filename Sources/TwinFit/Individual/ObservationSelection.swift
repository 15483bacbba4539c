import TwinData
import TwinModels

/// The observations of a record a fit uses, with the output each measures: segment 0 only,
/// below-LLOQ samples dropped (M1) or kept as censored (M3), and each value checked against the
/// output's residual error model.
struct ObservationSelection {
    var observations: [Observation] = []
    var values: [Double] = []
    var censored: [Bool] = []
    var outputs: [Int] = []

    init<Model: PhysiologicalModel>(record: PatientRecord, model: Model, errorModels: [ResidualErrorModel],
                                    censoring: CensoringMethod) throws(FitError) {
        var dropped = 0
        // Observations of one subject mostly share their CMT, DVID and quantity: map each kind
        // once (a subject has a handful of kinds, so a linear search beats hashing the strings).
        var known: [(key: OutputKey, output: Int)] = []
        var last = -1
        observations.reserveCapacity(record.observations.count)
        values.reserveCapacity(record.observations.count)
        censored.reserveCapacity(record.observations.count)
        outputs.reserveCapacity(record.observations.count)
        for observation in record.observations {
            guard observation.segment == 0 else {
                throw .unusableObservation(subject: record.id, time: observation.time, quantity: observation.quantity,
                                           reason: "it follows a reset (segment \(observation.segment)); fit each segment as its own record")
            }
            if observation.isCensored && censoring == .discard { dropped += 1; continue }
            let key = OutputKey(compartment: observation.compartment, outputID: observation.outputID, quantity: observation.quantity, unit: observation.unit)
            let output: Int
            if last >= 0, known[last].key == key {
                output = known[last].output
            } else if let k = known.firstIndex(where: { $0.key == key }) {
                output = known[k].output
                last = k
            } else {
                output = try Self.output(of: observation, model: model, subject: record.id)
                known.append((key, output))
                last = known.count - 1
            }
            let error = errorModels[output]
            let value = observation.isCensored ? (observation.lowerLimitOfQuantification ?? observation.value) : observation.value
            guard value.isFinite else {
                throw .unusableObservation(subject: record.id, time: observation.time, quantity: observation.quantity, reason: "the value is not a number")
            }
            switch error {
            case .exponential where value <= 0:
                throw .unusableObservation(subject: record.id, time: observation.time, quantity: observation.quantity,
                                           reason: "\(value) cannot be fitted with exponential (log-scale) error, which needs values > 0")
            case .proportional where value < 0:
                throw .unusableObservation(subject: record.id, time: observation.time, quantity: observation.quantity,
                                           reason: "a negative value (\(value)) cannot be fitted with proportional error; use additive or combined error")
            default: break
            }
            observations.append(observation)
            values.append(value)
            censored.append(observation.isCensored)
            outputs.append(output)
        }
        guard !observations.isEmpty else {
            let reason = record.observations.isEmpty ? "the record has none" : "all \(dropped) are below the LLOQ and M1 drops them"
            throw .noObservations(subject: record.id, reason: reason)
        }
    }

    /// What decides the output an observation measures.
    struct OutputKey: Equatable {
        var compartment: Int?
        var outputID: Int?
        var quantity: String
        var unit: MeasurementUnit
    }

    /// The output an observation measures, by the model's record mapping (DVID, quantity or
    /// LOINC code, CMT; see TwinModels' `outputIndex(for:)`).
    static func output<Model: PhysiologicalModel>(of observation: Observation, model: Model, subject: String) throws(FitError) -> Int {
        do { return try model.outputIndex(for: observation) } catch {
            throw .unusableObservation(subject: subject, time: observation.time, quantity: observation.quantity, reason: error.description)
        }
    }
}
