import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension PublicJWK {
    /// The public JWK of an OpenSSL key already checked to fit `algorithm`.
    init(key: OpaquePointer, algorithm: SigningAlgorithm) throws(AuthError) {
        switch algorithm {
        case .rs384:
            let n = try OpenSSLSupport.bigNumberParameter(key, "n")
            let e = try OpenSSLSupport.bigNumberParameter(key, "e")
            try self.init(material: .rsa(modulus: n, exponent: e), algorithm: .rs384)
        case .es384:
            let x = try OpenSSLSupport.bigNumberParameter(key, "qx", width: 48)
            let y = try OpenSSLSupport.bigNumberParameter(key, "qy", width: 48)
            try self.init(material: .ec(curve: "P-384", x: x, y: y), algorithm: .es384)
        }
    }

    /// Checks a JWS signature (`RS384`: PKCS#1 v1.5; `ES384`: JOSE R||S, 96 bytes) over
    /// `message` with this key. `false` for a wrong signature; errors only for keys OpenSSL
    /// refuses (an EC point off the curve...).
    public func verify(signature: [UInt8], of message: [UInt8]) throws(AuthError) -> Bool {
        let der: [UInt8]
        switch material {
        case .rsa:
            der = signature
        case .ec:
            guard signature.count == 96 else { return false }
            der = try ECDSASignature.der(fromJOSE: signature, componentSize: 48)
        }
        let key = try makePublicKey()
        defer { EVP_PKEY_free(key) }
        guard let ctx = EVP_MD_CTX_new() else { throw AuthError(.cryptoFailure, "cannot create a verify context") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, EVP_sha384(), nil, key) == 1 else {
            OpenSSLSupport.clearErrors()
            throw AuthError(.cryptoFailure, "cannot start verifying a signature")
        }
        let status = der.withUnsafeBufferPointer { sig in
            message.withUnsafeBytes { EVP_DigestVerify(ctx, sig.baseAddress, sig.count, $0.baseAddress, $0.count) }
        }
        OpenSSLSupport.clearErrors()
        return status == 1
    }

    /// An OpenSSL public key from the JWK's numbers; the caller frees it.
    func makePublicKey() throws(AuthError) -> OpaquePointer {
        // EVP_PKEY_PUBLIC_KEY (a macro Swift does not import): the public key and all parameters.
        let publicKeySelection =
            OSSL_KEYMGMT_SELECT_PUBLIC_KEY | OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS
            | OSSL_KEYMGMT_SELECT_OTHER_PARAMETERS
        var parameters = KeyParameters()
        let typeName: String
        switch material {
        case .rsa(let n, let e):
            typeName = "RSA"
            parameters.bigNumber("n", n)
            parameters.bigNumber("e", e)
        case .ec(_, let x, let y):
            typeName = "EC"
            parameters.text("group", "P-384")
            parameters.octets("pub", [0x04] + x + y)
        }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            OpenSSLSupport.clearErrors()
            throw AuthError(.cryptoFailure, "cannot create a \(typeName) key context")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var key: OpaquePointer?
        let status = parameters.withParameters { params in
            guard EVP_PKEY_fromdata_init(ctx) == 1 else { return Int32(0) }
            return EVP_PKEY_fromdata(ctx, &key, publicKeySelection, params)
        }
        OpenSSLSupport.clearErrors()
        guard status == 1, let key else {
            throw AuthError(.jwkInvalid, "OpenSSL does not accept the JWK's \(typeName) key")
        }
        return key
    }
}

/// Owned buffers for an `OSSL_PARAM` array: the array points into them, so they live until the
/// call that reads the parameters returns.
private struct KeyParameters: ~Copyable {
    private var names: [UnsafeMutablePointer<CChar>] = []
    private var buffers: [UnsafeMutableRawBufferPointer] = []
    private var kinds: [(name: Int, buffer: Int, kind: Kind)] = []

    private enum Kind { case bigNumber, text, octets }

    deinit {
        for name in names { free(name) }
        for buffer in buffers {
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            buffer.deallocate()
        }
    }

    /// A big-endian unsigned number, stored in native byte order as `OSSL_PARAM_construct_BN` wants.
    mutating func bigNumber(_ name: String, _ bigEndian: [UInt8]) {
        let native: [UInt8] = Int(littleEndian: 1) == 1 ? bigEndian.reversed() : bigEndian
        add(name, native, .bigNumber)
    }

    mutating func text(_ name: String, _ value: String) {
        add(name, Array(value.utf8) + [0], .text)
    }

    mutating func octets(_ name: String, _ bytes: [UInt8]) {
        add(name, bytes, .octets)
    }

    private mutating func add(_ name: String, _ bytes: [UInt8], _ kind: Kind) {
        guard let copy = strdup(name) else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        buffer.copyBytes(from: bytes)
        names.append(copy)
        buffers.append(buffer)
        kinds.append((names.count - 1, buffers.count - 1, kind))
    }

    func withParameters(_ body: (UnsafeMutablePointer<OSSL_PARAM>) -> Int32) -> Int32 {
        var params: [OSSL_PARAM] = []
        for entry in kinds {
            let name = names[entry.name]
            let buffer = buffers[entry.buffer]
            guard let base = buffer.baseAddress else { return 0 }
            switch entry.kind {
            case .bigNumber:
                params.append(
                    OSSL_PARAM_construct_BN(name, base.assumingMemoryBound(to: UInt8.self), buffer.count))
            case .text:
                params.append(OSSL_PARAM_construct_utf8_string(name, base.assumingMemoryBound(to: CChar.self), 0))
            case .octets:
                params.append(OSSL_PARAM_construct_octet_string(name, base, buffer.count))
            }
        }
        params.append(OSSL_PARAM_construct_end())
        return params.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return body(base)
        }
    }
}
