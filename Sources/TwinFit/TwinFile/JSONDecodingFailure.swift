import Foundation

/// Why JSONDecoder refused some bytes, reduced to what a typed error needs: a syntax error with
/// its line and column (when Foundation's parser reports them), or a field path with a reason.
enum JSONDecodingFailure: Error, Sendable {
    case syntax(location: String?, reason: String)
    case field(path: String, reason: String)

    /// Decodes `type` from `data`, or describes the failure.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, decoder: JSONDecoder = JSONDecoder()) -> Result<T, JSONDecodingFailure> {
        do {
            return .success(try decoder.decode(type, from: data))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let located = locateSyntaxError(data) {
                return .failure(located)
            }
            return .failure(describe(error))
        } catch {
            return .failure(.syntax(location: nil, reason: "\(error)"))
        }
    }

    static func describe(_ error: DecodingError) -> JSONDecodingFailure {
        func path(_ keys: [any CodingKey]) -> String {
            var s = ""
            for k in keys {
                if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : "." + k.stringValue }
            }
            return s.isEmpty ? "(top level)" : s
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let detail = context.underlyingError.map { underlying -> String in
                let ns = underlying as NSError
                return (ns.userInfo["NSDebugDescription"] as? String) ?? "\(underlying)"
            } ?? context.debugDescription
            return .syntax(location: lineAndColumn(in: detail), reason: detail)
        case .dataCorrupted(let context):
            return .field(path: path(context.codingPath), reason: context.debugDescription)
        case .keyNotFound(let key, let context):
            return .field(path: path(context.codingPath + [key]), reason: "missing")
        case .typeMismatch(let type, let context):
            return .field(path: path(context.codingPath), reason: "expected \(type)")
        case .valueNotFound(let type, let context):
            return .field(path: path(context.codingPath), reason: "expected \(type), found null")
        @unknown default:
            return .syntax(location: nil, reason: "\(error)")
        }
    }

    /// The syntax error JSONSerialization reports ("… around character N"), located as
    /// "line L, column C" (1-based, columns counted in bytes); nil when the bytes parse.
    static func locateSyntaxError(_ data: Data) -> JSONDecodingFailure? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let message = ((error as NSError).userInfo["NSDebugDescription"] as? String) ?? "\(error)"
            guard let range = message.range(of: "character "),
                  let offset = Int(message[range.upperBound...].prefix { $0.isNumber }) else {
                return .syntax(location: lineAndColumn(in: message), reason: message)
            }
            let bytes = [UInt8](data.prefix(offset))
            let line = bytes.reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            let column = offset - (bytes.lastIndex(of: 10) ?? -1)
            return .syntax(location: "line \(line), column \(column)", reason: message)
        }
    }

    /// "line L, column C" from a parser message that mentions them.
    static func lineAndColumn(in message: String) -> String? {
        guard let range = message.range(of: "line ") else { return nil }
        let tail = message[range.lowerBound...]
        var out = ""
        for ch in tail {
            if ch == "." || ch == ")" { break }
            out.append(ch)
        }
        return out.contains("column") ? out : nil
    }
}

/// Why a versioned MedTwin document (a population model, a twin file) was refused before its
/// body was read: the header's `kind` and `schemaVersion`, checked first so that a newer file is
/// named as such rather than as a field the reader does not know.
enum DocumentHeaderProblem: Error, Sendable {
    case json(JSONDecodingFailure)
    case wrongKind(String)
    case newerSchema(found: Int, supported: Int)

    /// Checks that `data` is a JSON object of `kind` with a schemaVersion in 1…`supported`.
    static func check(_ data: Data, kind expected: String, supported: Int) -> DocumentHeaderProblem? {
        struct Header: Decodable { var kind: String?; var schemaVersion: Int? }
        switch JSONDecodingFailure.decode(Header.self, from: data) {
        case .failure(let failure): return .json(failure)
        case .success(let header):
            guard let kind = header.kind else { return .json(.field(path: "kind", reason: "missing")) }
            guard kind == expected else { return .wrongKind(kind) }
            guard let version = header.schemaVersion else { return .json(.field(path: "schemaVersion", reason: "missing")) }
            guard version <= supported else { return .newerSchema(found: version, supported: supported) }
            guard version >= 1 else { return .json(.field(path: "schemaVersion", reason: "must be ≥ 1, not \(version)")) }
            return nil
        }
    }
}
