import Foundation

/// A resource that failed to decode, with the JSON path of the problem.
struct FHIRDecodeFailure: Error {
    var path: String
    var message: String
    /// The patient the broken resource belongs to, when that much could be read: its subject
    /// reference, or "Patient/<id>" for a broken Patient.
    var patientReference: String?
}

/// The little of a resource needed to find its patient when the rest does not decode.
struct SubjectProbe: Decodable {
    var resourceType: String?
    var id: String?
    var subject: FHIR.Reference?

    private enum Key: String, CodingKey { case resourceType, id, subject }

    init(from decoder: any Decoder) {
        let container = try? decoder.container(keyedBy: Key.self)
        resourceType = try? container?.decodeIfPresent(String.self, forKey: .resourceType)
        id = try? container?.decodeIfPresent(String.self, forKey: .id)
        subject = try? container?.decodeIfPresent(FHIR.Reference.self, forKey: .subject)
    }

    var patientReference: String? {
        if resourceType == "Patient", let id { return "Patient/\(id)" }
        return subject?.reference
    }
}

/// Turns a DecodingError into a JSON path relative to the decoded value and a message.
func describe(_ error: any Error) -> FHIRDecodeFailure {
    func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let i = key.intValue { text += "[\(i)]" } else { text += text.isEmpty ? key.stringValue : "." + key.stringValue }
        }
        return text
    }
    guard let decoding = error as? DecodingError else {
        return FHIRDecodeFailure(path: "", message: "not valid JSON (\(error.localizedDescription))")
    }
    switch decoding {
    case let .typeMismatch(type, context):
        return FHIRDecodeFailure(path: path(context.codingPath), message: "expected \(jsonTypeName(type)), found another JSON type")
    case let .valueNotFound(type, context):
        return FHIRDecodeFailure(path: path(context.codingPath), message: "expected \(jsonTypeName(type)), found null")
    case let .keyNotFound(key, context):
        return FHIRDecodeFailure(path: path(context.codingPath + [key]), message: "expected the member '\(key.stringValue)', found none")
    case let .dataCorrupted(context):
        var message = context.debugDescription
        if let underlying = context.underlyingError { message += " (\(underlying.localizedDescription))" }
        return FHIRDecodeFailure(path: path(context.codingPath), message: "not valid JSON: \(message)")
    @unknown default:
        return FHIRDecodeFailure(path: "", message: "could not be decoded")
    }
}

private func jsonTypeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Double.Type, is Int.Type: return "a number"
    case is Bool.Type: return "true or false"
    default:
        let name = String(describing: type)
        return name.hasPrefix("Array") ? "an array" : "an object"
    }
}

/// A Bundle entry whose resource may fail to decode without failing the whole Bundle.
struct LenientEntry: Decodable {
    var fullUrl: String?
    var resource: Result<FHIR.Resource, FHIRDecodeFailure>?

    private enum Key: String, CodingKey { case fullUrl, resource }

    init(from decoder: any Decoder) {
        do {
            let container = try decoder.container(keyedBy: Key.self)
            fullUrl = try? container.decodeIfPresent(String.self, forKey: .fullUrl)
            if container.contains(.resource) {
                do {
                    resource = .success(try container.decode(FHIR.Resource.self, forKey: .resource))
                } catch {
                    var failure = describe(error)
                    failure.patientReference = (try? container.decode(SubjectProbe.self, forKey: .resource))?.patientReference
                    resource = .failure(failure)
                }
            }
        } catch {
            resource = .failure(describe(error))
        }
    }
}

/// A Bundle with lenient entries.
struct LenientBundle: Decodable {
    var resourceType: String?
    var entries: [LenientEntry]

    private enum Key: String, CodingKey { case resourceType, entry }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        resourceType = try container.decodeIfPresent(String.self, forKey: .resourceType)
        entries = try container.decodeIfPresent([LenientEntry].self, forKey: .entry) ?? []
    }
}

/// A single resource (an NDJSON line), decoded leniently.
struct LenientResource: Decodable {
    var resource: Result<FHIR.Resource, FHIRDecodeFailure>

    init(from decoder: any Decoder) {
        do { resource = .success(try FHIR.Resource(from: decoder)) } catch {
            var failure = describe(error)
            failure.patientReference = SubjectProbe(from: decoder).patientReference
            resource = .failure(failure)
        }
    }
}
