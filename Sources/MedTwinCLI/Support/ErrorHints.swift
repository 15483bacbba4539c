import MedTwin

/// The CLI's sentence for a library error: the library's message, which names no flag, followed
/// by the flag or command that fixes it here, where one does.
///
/// ```swift
/// ErrorHints.message(for: ModelError.unknownModel(name: "pk", known: ["pk-1cmt"]))
/// // "unknown model 'pk'; known models: pk-1cmt (list them with `medtwin models`)"
/// ```
enum ErrorHints {
    /// The message for any error: typed library errors get their CLI hint, others print as they are.
    static func message(for error: any Error) -> String {
        switch error {
        case let error as ModelError: return message(for: error)
        case let error as RecordError: return message(for: error)
        default: return "\(error)"
        }
    }

    static func message(for error: ModelError) -> String {
        guard let hint = hint(for: error) else { return error.description }
        return "\(error.description) (\(hint))"
    }

    static func message(for error: RecordError) -> String {
        var text = error.description
        // ColumnUnits(parsing:) locates its errors in "<units>": here that is the --units option.
        if error.location?.file == ColumnUnits.parsedLocationName, text.hasPrefix(ColumnUnits.parsedLocationName) {
            text = "--units" + text.dropFirst(ColumnUnits.parsedLocationName.count)
        }
        guard let hint = hint(for: error) else { return text }
        return "\(text) (\(hint))"
    }

    /// The flag or command that fixes `error` on the command line, or nil.
    static func hint(for error: ModelError) -> String? {
        switch error {
        case .unknownModel:
            return "list them with `medtwin models`"
        case let .unknownParameter(model, _, _), let .parameterCountMismatch(model, _, _):
            return "`medtwin models \(model)` lists them; set one with --param NAME=VALUE"
        case .parameterOutOfBounds:
            return "set it with --param NAME=VALUE"
        case let .unknownSubject(model, _, _):
            return "choose one with --subject; `medtwin models \(model)` lists them"
        case let .unsupportedDose(model, _, _):
            guard let entry = try? ModelCatalog.model(named: model), entry.inputs.isEmpty else { return nil }
            return "drop --regimen and set parameters with --param NAME=VALUE"
        case let .unmappedObservation(model, _, _):
            return "`medtwin models \(model)` lists which CMT and DVID each output has"
        case .invalidRequest, .stateCountMismatch, .steadyStateNotFound, .problem:
            return nil
        }
    }

    /// The flag that fixes `error` on the command line, or nil.
    static func hint(for error: RecordError) -> String? {
        switch error {
        case let .missingUnit(_, column):
            return "pass --units \(column)=… or put a NAME.units.json sidecar beside the CSV"
        default:
            return nil
        }
    }
}

extension ColumnUnits {
    /// The file name ``ColumnUnits/init(parsing:)`` gives the locations of its errors.
    static let parsedLocationName = "<units>"
}
