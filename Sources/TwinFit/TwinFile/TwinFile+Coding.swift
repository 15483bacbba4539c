import Foundation

extension TwinFile {
    /// JSON encoder settings shared by writing and hashing: non-finite numbers as strings.
    static func makeEncoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    /// SHA-256 (hex) of the canonical text of this value without its `contentHash`.
    public func computeContentHash() throws(TwinFileError) -> String {
        var copy = self
        copy.contentHash = ""
        let data: Data
        do { data = try Self.makeEncoder(pretty: false).encode(copy) } catch { throw .encodingFailed("\(error)") }
        guard case .success(var tree) = JSONDecodingFailure.decode(JSONValue.self, from: data), case .object(var object) = tree else {
            throw .encodingFailed("the encoded twin is not a JSON object")
        }
        object.removeValue(forKey: CodingKeys.contentHash.rawValue)
        tree = .object(object)
        return SHA256.hexDigest(Array(tree.canonicalText.utf8))
    }

    /// The file's JSON (sorted keys, pretty printed), with the content hash computed and stored.
    ///
    /// - Throws: ``TwinFileError/encodingFailed(_:)``.
    public func encode() throws(TwinFileError) -> Data {
        var copy = self
        copy.contentHash = try computeContentHash()
        do { return try Self.makeEncoder(pretty: true).encode(copy) } catch { throw .encodingFailed("\(error)") }
    }

    /// Reads a twin file, refusing newer schemas and checking the content hash.
    ///
    /// - Throws: ``TwinFileError/malformedJSON(location:reason:)`` for bytes that are not (or no
    ///   longer, truncated) JSON, ``TwinFileError/wrongKind(_:)``,
    ///   ``TwinFileError/newerSchema(found:supported:)``, ``TwinFileError/invalidField(path:reason:)``,
    ///   ``TwinFileError/hashMismatch(stored:computed:)``.
    public static func decode(_ data: Data) throws(TwinFileError) -> TwinFile {
        switch DocumentHeaderProblem.check(data, kind: Self.kind, supported: Self.schemaVersion) {
        case nil: break
        case .json(.syntax(let location, let reason))?: throw .malformedJSON(location: location, reason: reason)
        case .json(.field(let path, let reason))?: throw .invalidField(path: path, reason: reason)
        case .wrongKind(let kind)?: throw .wrongKind(kind)
        case .newerSchema(let found, let supported)?: throw .newerSchema(found: found, supported: supported)
        }
        let twin: TwinFile
        switch JSONDecodingFailure.decode(TwinFile.self, from: data, decoder: makeDecoder()) {
        case .success(let t): twin = t
        case .failure(.syntax(let location, let reason)): throw .malformedJSON(location: location, reason: reason)
        case .failure(.field(let path, let reason)): throw .invalidField(path: path, reason: reason)
        }
        let computed = try twin.computeContentHash()
        guard computed == twin.contentHash else { throw .hashMismatch(stored: twin.contentHash, computed: computed) }
        return twin
    }
}
